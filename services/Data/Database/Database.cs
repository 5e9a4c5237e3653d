using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MotCua.Data.Database;

/// <summary>Each service owns one PostgreSQL database, named by <c>ConnectionStrings:Database</c>.</summary>
public static class DatabaseRegistration
{
    public static IServiceCollection AddServiceDatabase(
        this IServiceCollection services, IConfiguration configuration, Assembly migrationsAssembly)
    {
        var connectionString = configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:Database is not set (environment: ConnectionStrings__Database).");
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);
        // The hot statements are the same few texts thousands of times over: prepared once per connection, PostgreSQL
        // stops parsing and planning them on every call. An installation's own Max Auto Prepare wins.
        if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0) dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
        services.AddSingleton(dataSource.Build());
        services.AddSingleton(new MigrationSource(migrationsAssembly, connectionString));
        services.AddSingleton<DatabaseState>();
        services.AddHostedService<DatabaseMigrator>();
        return services;
    }
}

/// <summary>Set once the database exists and carries every migration; readiness and the API gate read it.</summary>
public sealed class DatabaseState
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompleted;

    public Task Migrated => _migrated.Task;

    internal void MarkMigrated() => _migrated.TrySetResult();
}

/// <summary>Work that needs the migrated database before the service may report ready (seed an account, load the clock).</summary>
public interface IStartupStep
{
    Task RunAsync(CancellationToken ct);
}
