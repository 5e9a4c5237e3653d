using System.Text.Json;
using MotCua.Data.Database;
using MotCua.Data.Messaging;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// <c>POST /api/evaluation/rebuild</c> (admin): empties the projections and replays every logged event into them,
/// in one transaction, so readers see the old numbers or the new, never half. Ratings, general-criteria points
/// and policy are Evaluation's own records and stay; the ratings' counters come back from their logged events.
/// </summary>
public static class Rebuild
{
    public sealed record Rebuilt(long Events, long Dossiers, double Seconds);

    private const int Page = 5000;

    public static void MapRebuild(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/evaluation/rebuild", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(tx, """
                TRUNCATE dossier_outcomes, unit_period_stats, unit_period_processing, official_period_stats, feedback_outcomes
                """, ct);
            long replayed = 0, after = 0;
            while (true)
            {
                var events = await connection.ListAsync(tx, "SELECT seq, type, body::text FROM event_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                    r => (Seq: r.GetInt64(0), Type: r.GetString(1), Body: r.GetString(2)), ct, after, Page);
                await Outcomes.ApplyAsync([.. events.Select(e => JsonSerializer.Deserialize(e.Body, IntegrationEventTypes.ByName[e.Type], Outcomes.Json)!)],
                    connection, tx, ct);
                replayed += events.Count;
                if (events.Count < Page) break;
                after = events[^1].Seq;
            }
            var dossiers = await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM dossier_outcomes", ct);
            await tx.CommitAsync(ct);
            return Results.Ok(new Rebuilt(replayed, dossiers, Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, 3)));
        }).RequireAuthorization(Policies.Admin);
}
