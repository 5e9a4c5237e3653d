using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MotCua.Data.Database;
using Npgsql;

using MotCua.Hosting.Http;

namespace MotCua.Data.Http;

/// <summary>Ready = the database is migrated and answers; the bus's own check (tag "ready") joins it.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, DatabaseState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!state.IsMigrated) return HealthCheckResult.Unhealthy("Database not migrated yet.");
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Database not reachable.", e);
        }
    }
}

internal static class ApiGate
{
    /// <summary>
    /// Until the database is migrated, API calls get an honest 503 with Retry-After instead of an
    /// error from a missing table.
    /// </summary>
    public static IApplicationBuilder UseApiGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var state = context.RequestServices.GetRequiredService<DatabaseState>();
        if (!state.IsMigrated && context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Headers.RetryAfter = "5";
            await Problems.Unavailable("The service is starting; its database is not ready yet.").ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
