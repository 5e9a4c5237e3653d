using MotCua.ServiceDefaults.Database;
using MotCua.ServiceDefaults.Directory;
using MotCua.ServiceDefaults.Http;
using MotCua.ServiceDefaults.Security;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// <c>GET /api/evaluation/units/{unitId}?period=</c> for the unit's subtree; the period (month, quarter, year)
/// defaults to the current month. Received counts by receipt, resolved, on time and late by resolution, in the
/// period; overdue-pending are dossiers of the subtree past their statutory due time (an apology's new date does
/// not make them on time) and still without a result at the period's end (or now). Decision 766's progress group = on time ÷ (on time + late + overdue pending) × 20;
/// the groups our data does not cover yet are reported as not measured.
/// </summary>
public static class UnitIndicators
{
    /// <summary>Decision 766's groups; null where there is nothing to measure yet, "not_measured" where our data cannot.</summary>
    public sealed record Index766(decimal? Progress, decimal? Satisfaction, decimal? Online, string Publicity, string Digitisation);

    public sealed record Satisfaction(int Ratings, int VerySatisfied, int Satisfied, int Neutral, int Dissatisfied, decimal? SatisfiedShare);

    public sealed record Indicators(
        Guid UnitId, string Period, int Received, int Resolved, int OnTime, int Late, int OverduePending, int Apologies, int Escalations,
        decimal? OnTimeRate, Satisfaction Satisfaction, Index766 Index766);

    private const string NotMeasured = "not_measured";

    public static void MapUnitIndicators(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/evaluation/units/{unitId:guid}", Get);

    private static async Task<IResult> Get(
        Guid unitId, string? period, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        if (!await scope.CoversAsync(http, unitId)) return Problems.NotFound($"No unit {unitId} among yours.");
        period ??= Period.Containing(time.GetUtcNow())[0];
        if (!Period.IsValid(period))
            return new FieldErrors().Add("period", "A month (2026-11), a quarter (2026-Q4) or a year (2026).").ToResult();
        var (from, to) = Period.Bounds(period);
        var asOf = time.GetUtcNow() < to ? time.GetUtcNow() : to;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = (await connection.ListAsync(null, UnitDirectory.SubtreeCte + """
            SELECT
                count(*) FILTER (WHERE o.received_at >= $2 AND o.received_at < $3),
                count(*) FILTER (WHERE o.resolved_at >= $2 AND o.resolved_at < $3),
                count(*) FILTER (WHERE o.resolved_at >= $2 AND o.resolved_at < $3 AND o.timeliness IN ('early', 'on_time')),
                count(*) FILTER (WHERE o.resolved_at >= $2 AND o.resolved_at < $3 AND o.timeliness = 'late'),
                count(*) FILTER (WHERE (o.resolved_at IS NULL OR o.resolved_at >= $4) AND o.closed_at IS NULL
                                   AND o.due_at < $4),
                count(*) FILTER (WHERE o.apologized_at >= $2 AND o.apologized_at < $3),
                count(*) FILTER (WHERE o.escalated_at >= $2 AND o.escalated_at < $3),
                count(*) FILTER (WHERE o.received_at >= $2 AND o.received_at < $3 AND o.channel = 'online')
            FROM dossier_outcomes o JOIN subtree s ON s.id = o.unit_id
            """, r => (Received: (int)r.GetInt64(0), Resolved: (int)r.GetInt64(1), OnTime: (int)r.GetInt64(2), Late: (int)r.GetInt64(3),
            Pending: (int)r.GetInt64(4), Apologies: (int)r.GetInt64(5), Escalations: (int)r.GetInt64(6), Online: (int)r.GetInt64(7)),
            ct, unitId, from, to, asOf)).Single();
        var levels = (await connection.ListAsync(null, UnitDirectory.SubtreeCte + """
            SELECT r.level, count(*) FROM ratings r JOIN subtree s ON s.id = r.unit_id WHERE r.rated_at >= $2 AND r.rated_at < $3 GROUP BY r.level
            """, r => (Level: r.GetString(0), Count: (int)r.GetInt64(1)), ct, unitId, from, to)).ToDictionary(l => l.Level, l => l.Count);
        var ratings = levels.Values.Sum();
        var pleased = levels.GetValueOrDefault("very_satisfied") + levels.GetValueOrDefault("satisfied");

        var judged = row.OnTime + row.Late + row.Pending;
        decimal? Share(int part, int whole, decimal scale) => whole == 0 ? null : Math.Round(scale * part / whole, 2, MidpointRounding.AwayFromZero);
        return Results.Ok(new Indicators(unitId, period, row.Received, row.Resolved, row.OnTime, row.Late, row.Pending, row.Apologies,
            row.Escalations, Share(row.OnTime, row.OnTime + row.Late, 100),
            new Satisfaction(ratings, levels.GetValueOrDefault("very_satisfied"), levels.GetValueOrDefault("satisfied"),
                levels.GetValueOrDefault("neutral"), levels.GetValueOrDefault("dissatisfied"), Share(pleased, ratings, 100)),
            // Satisfaction (18 points) = share of citizens satisfied or very satisfied; online (22) = share received online.
            new Index766(Share(row.OnTime, judged, 20), Share(pleased, ratings, 18), Share(row.Online, row.Received, 22), NotMeasured, NotMeasured)));
    }
}
