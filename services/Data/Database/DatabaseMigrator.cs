using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace MotCua.Data.Database;

/// <summary>Where a service keeps its numbered SQL files (embedded resources under Migrations/).</summary>
public sealed record MigrationSource(Assembly Assembly, string ConnectionString);

/// <summary>
/// A shared layer's numbered SQL files (this one's outbox and inbox, the directory's copy of the tree), applied before the
/// service's own. Their numbers are one sequence across the layers, recorded as <c>platform/NNNN_name.sql</c>.
/// </summary>
public sealed record PlatformMigrations(Assembly Assembly);

/// <summary>
/// Creates the service's database when missing and applies the platform's and then the service's
/// numbered SQL files, each in its own transaction, under an advisory lock so that several
/// instances may start at once. It runs in the background and retries with back-off, so a service
/// whose database is down starts, answers /health/live and reports not ready until it is up.
/// </summary>
internal sealed partial class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    MigrationSource source,
    IEnumerable<PlatformMigrations> platform,
    DatabaseState state,
    IEnumerable<IStartupStep> startupSteps,
    ILogger<DatabaseMigrator> logger) : BackgroundService
{
    // Any constant works as long as every instance of every service agrees on it.
    private const long MigrationLockKey = 0x4D6F74437561;

    private ResiliencePipeline Retry => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<TimeoutException>()
                .Handle<System.Net.Sockets.SocketException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(15),
            OnRetry = retry =>
            {
                LogRetrying(logger, retry.AttemptNumber + 1, retry.Outcome.Exception?.Message);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Retry.ExecuteAsync(async token =>
        {
            await EnsureDatabaseExistsAsync(token);
            await ApplyMigrationsAsync(token);
            foreach (var step in startupSteps) await step.RunAsync(token);
        }, stoppingToken);
        state.MarkMigrated();
    }

    private async Task EnsureDatabaseExistsAsync(CancellationToken ct)
    {
        // The data source hides the password from its ConnectionString, so start from the configured one.
        var admin = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        var database = admin.Database ?? throw new InvalidOperationException("The connection string names no database.");
        admin.Database = "postgres";
        admin.Pooling = false;
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        try
        {
            var quoted = "\"" + database.Replace("\"", "\"\"") + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(ct);
            LogCreated(logger, database);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance created it first.
        }
    }

    private async Task ApplyMigrationsAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Execute(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", ct);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var shared = platform.Select(p => p.Assembly).Prepend(typeof(DatabaseMigrator).Assembly).Distinct()
                .SelectMany(assembly => Scripts(assembly, "platform")).OrderBy(script => script.Id, StringComparer.Ordinal);
            foreach (var (id, sql) in shared.Concat(Scripts(source.Assembly, "service")))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await using var check = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (id) VALUES ($1) ON CONFLICT DO NOTHING", connection, tx);
                check.Parameters.AddWithValue(id);
                if (await check.ExecuteNonQueryAsync(ct) == 0) continue;
                await using (var apply = new NpgsqlCommand(sql, connection, tx)) await apply.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                LogApplied(logger, id);
            }
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    private static IEnumerable<(string Id, string Sql)> Scripts(Assembly assembly, string track) =>
        assembly.GetManifestResourceNames()
            .Where(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Id: track + "/" + name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..], Resource: name))
            .OrderBy(script => script.Id, StringComparer.Ordinal)
            .Select(script =>
            {
                using var stream = assembly.GetManifestResourceStream(script.Resource)!;
                using var reader = new StreamReader(stream);
                return (script.Id, reader.ReadToEnd());
            });

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(LogLevel.Warning, "Database not ready yet (attempt {Attempt}): {Reason}")]
    private static partial void LogRetrying(ILogger logger, int attempt, string? reason);

    [LoggerMessage(LogLevel.Information, "Created database {Database}")]
    private static partial void LogCreated(ILogger logger, string database);

    [LoggerMessage(LogLevel.Information, "Applied migration {Id}")]
    private static partial void LogApplied(ILogger logger, string id);
}
