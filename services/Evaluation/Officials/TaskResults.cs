using MotCua.Evaluation.Indicators;
using MotCua.Evaluation.Policy;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Officials;

/// <summary>
/// Decree 335/2025 (from 1 January 2026): 100 points = 30 for general criteria, entered by the supervisor, and 70 for
/// task results, which come from the dossiers. The 70 split by <see cref="EvaluationPolicy"/>: quantity (steps ended,
/// against the mean of the unit's officials who ended any, capped at full), quality (steps not followed by an apology
/// or escalation laid at the official's door) and timeliness (steps ended early or on time). Bands: ≥90 excellent
/// (hoàn thành xuất sắc), 70–&lt;90 good (tốt), 50–&lt;70 completed (hoàn thành), &lt;50 not completed; "excellent" is
/// kept for at most the policy's share (20%) of the unit's officials rated good or better, highest points first,
/// and the rest are good. Periods before 2026 fall under Decree 90/2020, which has grades and no points.
/// </summary>
public static class TaskResults
{
    public sealed record Points(decimal Quantity, decimal Quality, decimal Timeliness, decimal Total);

    public sealed record Steps(long Ended, long Early, long OnTime, long Late, long ApologiesAtFault, long EscalationsAtFault);

    public sealed record GeneralCriteria(decimal Points, string? Note, Guid EnteredBy, DateTimeOffset EnteredAt);

    public sealed record OfficialResult(
        Guid OfficialId, string FullName, Guid UnitId, string Period, string Regime, Steps Steps, Points? TaskResults,
        GeneralCriteria? GeneralCriteria, decimal? Total, string? Band, bool ExcellentCapped);

    public const string Excellent = "excellent", Good = "good", Completed = "completed", NotCompleted = "not_completed";

    private static readonly DateTimeOffset Decree335From = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(7));

    /// <summary>Every official posted to <paramref name="unitId"/> at the end of the period (or now), scored and banded.</summary>
    public static async Task<List<OfficialResult>> ForUnitAsync(
        NpgsqlConnection connection, Guid unitId, string period, DateTimeOffset asOf, EvaluationPolicy.TaskResultWeights weights,
        CancellationToken ct)
    {
        var day = ReportingPeriod.LastDay(asOf);
        var rows = await connection.ListAsync(null, """
            SELECT o.id, o.full_name, coalesce(s.steps, 0), coalesce(s.steps_early, 0), coalesce(s.steps_on_time, 0), coalesce(s.steps_late, 0),
                   coalesce(s.apologies_at_fault, 0), coalesce(s.escalations_at_fault, 0), g.points, g.note, g.entered_by, g.entered_at
            FROM (SELECT DISTINCT official_id FROM official_postings WHERE unit_id = $1 AND valid_from <= $2) candidate
            JOIN official_directory o ON o.id = candidate.official_id
            LEFT JOIN official_period_stats s ON s.official_id = o.id AND s.period = $3
            LEFT JOIN general_criteria g ON g.official_id = o.id AND g.period = $3
            WHERE (SELECT p.unit_id FROM official_postings p WHERE p.official_id = o.id AND p.valid_from <= $2
                   ORDER BY p.valid_from DESC LIMIT 1) = $1
            """, r => (Id: r.GetGuid(0), Name: r.GetString(1),
                Steps: new Steps(r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7)),
                General: r.IsDBNull(8) ? null : new GeneralCriteria(r.GetDecimal(8), r.NullableString(9), r.GetGuid(10), r.GetFieldValue<DateTimeOffset>(11))),
            ct, unitId, day, period);

        if (Indicators.Period.Bounds(period).From < Decree335From)
            return [.. rows.Select(o => new OfficialResult(o.Id, o.Name, unitId, period, "90/2020", o.Steps, null, o.General, null, null, false))];

        var active = rows.Where(o => o.Steps.Ended > 0).ToList();
        var mean = active.Count == 0 ? 0m : (decimal)active.Sum(o => o.Steps.Ended) / active.Count;
        var scored = rows.Select(o =>
        {
            var points = Score(o.Steps, mean, weights);
            var total = points is not null && o.General is not null ? points.Total + o.General.Points : (decimal?)null;
            return new OfficialResult(o.Id, o.Name, unitId, period, "335/2025", o.Steps, points, o.General, total, Band(total), false);
        }).OrderByDescending(o => o.Total ?? -1).ThenByDescending(o => o.TaskResults?.Total ?? -1).ThenBy(o => o.FullName, StringComparer.Ordinal).ToList();

        var allowed = (int)Math.Floor(weights.ExcellentShare * scored.Count(o => o.Total >= 70));
        var kept = 0;
        return [.. scored.Select(o => o.Band != Excellent ? o : ++kept <= allowed ? o : o with { Band = Good, ExcellentCapped = true })];
    }

    /// <summary>Nothing to score from dossiers when the official ended no step in the period.</summary>
    private static Points? Score(Steps steps, decimal unitMean, EvaluationPolicy.TaskResultWeights weights)
    {
        if (steps.Ended == 0) return null;
        decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
        var quantity = Round(weights.Quantity * Math.Min(1m, steps.Ended / unitMean));
        var quality = Round(weights.Quality * Math.Max(0m, 1m - (decimal)(steps.ApologiesAtFault + steps.EscalationsAtFault) / steps.Ended));
        var timeliness = Round(weights.Timeliness * (steps.Early + steps.OnTime) / steps.Ended);
        return new Points(quantity, quality, timeliness, quantity + quality + timeliness);
    }

    private static string? Band(decimal? total) => total switch
    {
        null => null,
        >= 90 => Excellent,
        >= 70 => Good,
        >= 50 => Completed,
        _ => NotCompleted,
    };
}
