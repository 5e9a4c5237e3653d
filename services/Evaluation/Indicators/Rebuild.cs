using System.Text.Json;
using MotCua.ServiceDefaults.Database;
using MotCua.ServiceDefaults.Messaging;
using MotCua.ServiceDefaults.Security;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// <c>POST /api/evaluation/rebuild</c> (admin): empties the projection and replays every logged event into it, in
/// one transaction, so readers see the old numbers or the new, never half. Ratings are Evaluation's own data
/// and stay.
/// </summary>
public static class Rebuild
{
    public sealed record Rebuilt(long Events, long Dossiers);

    public static void MapRebuild(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/evaluation/rebuild", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(tx, "LOCK TABLE dossier_outcomes IN EXCLUSIVE MODE; DELETE FROM dossier_outcomes", ct);
            var events = await connection.ListAsync(tx, "SELECT type, body::text FROM event_log ORDER BY seq",
                r => (Type: r.GetString(0), Body: r.GetString(1)), ct);
            foreach (var (type, body) in events)
                await Outcomes.ApplyAsync(JsonSerializer.Deserialize(body, IntegrationEventTypes.ByName[type], Outcomes.Json)!, connection, tx, ct);
            var dossiers = await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM dossier_outcomes", ct);
            await tx.CommitAsync(ct);
            return Results.Ok(new Rebuilt(events.Count, dossiers));
        }).RequireAuthorization(Policies.Admin);
}
