using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// The counters of <c>unit_period_stats</c>, in column order. A change is a set of deltas per (unit, period),
/// written in one statement in key order, so concurrent consumers touching the same units cannot deadlock.
/// </summary>
public enum Counter
{
    Received, ReceivedOnline, Resolved, Early, OnTime, Late, ProcessingSeconds, ProcessingMeasured, Apologies, Escalations,
    OverdueAtEnd, RatedVerySatisfied, RatedSatisfied, RatedNeutral, RatedDissatisfied, FeedbackReceived, FeedbackAnswered,
    FeedbackAnsweredLate, ApologiesNotInTime,
}

public sealed class UnitCounters
{
    public static readonly string[] Columns =
    [
        "received", "received_online", "resolved", "early", "on_time", "late", "processing_seconds", "processing_measured", "apologies",
        "escalations", "overdue_at_end", "rated_very_satisfied", "rated_satisfied", "rated_neutral", "rated_dissatisfied",
        "feedback_received", "feedback_answered", "feedback_answered_late", "apologies_not_in_time",
    ];

    private static readonly string UpsertSql = $"""
        INSERT INTO unit_period_stats AS s (unit_id, period, {string.Join(", ", Columns)})
        SELECT * FROM unnest($1::uuid[], $2::text[], {string.Join(", ", Columns.Select((_, i) => $"${i + 3}::bigint[]"))})
        ON CONFLICT (unit_id, period) DO UPDATE SET {string.Join(", ", Columns.Select(c => $"{c} = s.{c} + EXCLUDED.{c}"))}
        """;

    private readonly SortedDictionary<(Guid Unit, string Period), long[]> _deltas = [];
    private readonly SortedDictionary<(Guid Unit, string Period, int QuarterHours), long> _processing = [];

    /// <summary>Adds <paramref name="amount"/> to the counter in the month, quarter and year containing <paramref name="at"/>.</summary>
    public UnitCounters Add(Guid unit, DateTimeOffset at, Counter counter, long amount = 1)
    {
        foreach (var period in Period.Containing(at)) AddTo(unit, period, counter, amount);
        return this;
    }

    public UnitCounters AddTo(Guid unit, string period, Counter counter, long amount = 1)
    {
        if (!_deltas.TryGetValue((unit, period), out var row)) _deltas[(unit, period)] = row = new long[Columns.Length];
        row[(int)counter] += amount;
        return this;
    }

    /// <summary>
    /// One more processing time in the month, quarter and year: a percentile per day is not reported, and a histogram per
    /// unit and day would be the largest table by far.
    /// </summary>
    public UnitCounters AddProcessing(Guid unit, DateTimeOffset at, int quarterHours, long amount)
    {
        foreach (var period in Period.Containing(at).Where(p => p.Length != 10))
            _processing[(unit, period, quarterHours)] = _processing.GetValueOrDefault((unit, period, quarterHours)) + amount;
        return this;
    }

    /// <summary>This change less <paramref name="other"/>: what moves when a row goes from the other's state to this one's.</summary>
    public UnitCounters Minus(UnitCounters other) => Combine(other, -1);

    /// <summary>This change and <paramref name="other"/> together, for loading many rows at once.</summary>
    public UnitCounters Plus(UnitCounters other) => Combine(other, 1);

    private UnitCounters Combine(UnitCounters other, int sign)
    {
        foreach (var (key, row) in other._deltas)
            for (var i = 0; i < row.Length; i++) AddTo(key.Unit, key.Period, (Counter)i, sign * row[i]);
        foreach (var (key, amount) in other._processing)
            _processing[key] = _processing.GetValueOrDefault(key) + sign * amount;
        return this;
    }

    public async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var rows = _deltas.Where(d => d.Value.Any(v => v != 0)).ToList();
        if (rows.Count > 0)
        {
            object[] parameters = [rows.Select(r => r.Key.Unit).ToArray(), rows.Select(r => r.Key.Period).ToArray(),
                .. Columns.Select((_, i) => rows.Select(r => r.Value[i]).ToArray())];
            await connection.ExecuteAsync(tx, UpsertSql, ct, parameters);
        }
        var buckets = _processing.Where(p => p.Value != 0).ToList();
        if (buckets.Count > 0)
            await connection.ExecuteAsync(tx, """
                INSERT INTO unit_period_processing AS p (unit_id, period, quarter_hours, dossiers)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[])
                ON CONFLICT (unit_id, period, quarter_hours) DO UPDATE SET dossiers = p.dossiers + EXCLUDED.dossiers
                """, ct, buckets.Select(b => b.Key.Unit).ToArray(), buckets.Select(b => b.Key.Period).ToArray(),
                buckets.Select(b => b.Key.QuarterHours).ToArray(), buckets.Select(b => b.Value).ToArray());
    }
}
