using MotCua.Hosting.Time;
using MotCua.Data.Database;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// <c>GET /api/evaluation/units/{unitId}/trend?from=&amp;to=</c> (days, at most 92; the last 30 days by default): per day
/// of the subtree, received, resolved, on time (early included), late, apologies and escalations, for dashboards' charts.
/// </summary>
public static class DailyTrend
{
    public sealed record Day(string Date, long Received, long Resolved, long OnTime, long Late, long Apologies, long Escalations);

    private const int MaxDays = 92;

    public static void MapDailyTrend(this IEndpointRouteBuilder app) => app.MapGet("/api/evaluation/units/{unitId:guid}/trend", Get);

    private static async Task<IResult> Get(
        Guid unitId, DateOnly? from, DateOnly? to, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (from is { } f && !RecordDates.Contains(f)) errors.Add("from", RecordDates.Range);
        if (to is { } t && !RecordDates.Contains(t)) errors.Add("to", RecordDates.Range);
        if (errors.Any) return errors.ToResult();
        var last = to ?? Hosting.Time.VietnamTime.Today(time);
        var first = from ?? last.AddDays(-29);
        if (first > last) errors.Add("from", "Not after to.");
        else if (last.DayNumber - first.DayNumber >= MaxDays) errors.Add("to", $"At most {MaxDays} days from from.");
        if (errors.Any) return errors.ToResult();
        if (!await scope.CoversAsync(http, unitId)) return Problems.NotFound($"No unit {unitId} among yours.");

        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(i => first.AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var found = (await connection.ListAsync(null, Organisation.UnitDirectory.SubtreeCte + """
            SELECT s.period, sum(s.received)::bigint, sum(s.resolved)::bigint, sum(s.early + s.on_time)::bigint, sum(s.late)::bigint,
                   sum(s.apologies)::bigint, sum(s.escalations)::bigint
            FROM unit_period_stats s JOIN subtree t ON t.id = s.unit_id WHERE s.period = ANY($2) GROUP BY s.period
            """, r => new Day(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)),
            ct, unitId, days)).ToDictionary(d => d.Date);
        return Results.Ok(days.Select(d => found.GetValueOrDefault(d) ?? new Day(d, 0, 0, 0, 0, 0, 0)));
    }
}
