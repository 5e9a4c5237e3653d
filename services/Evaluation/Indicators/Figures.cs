using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// The raw figures of a subtree for a period, summed from its units' counters, with what can only be counted for
/// a moment: the dossiers and feedback past due and still open at <c>asOf</c> (the period's end, or now).
/// </summary>
public sealed class Figures
{
    public long[] Counts { get; } = new long[UnitCounters.Columns.Length];

    public long OverdueOpen { get; private set; }

    public long FeedbackOverdue { get; private set; }

    public long this[Counter counter] => Counts[(int)counter];

    /// <summary>Past due at <c>asOf</c> and unsettled: those settled later are in the counters, those still open counted live.</summary>
    public long OverduePending => this[Counter.OverdueAtEnd] + OverdueOpen;

    /// <summary>
    /// A <c>branch</c> CTE of (id, key) for the period from <c>$3</c> to <c>$4</c> (dates, end exclusive): with
    /// <paramref name="byChild"/>, every unit under each child of <c>$1</c> keyed by that child; otherwise the whole subtree
    /// of <c>$1</c> keyed by <c>$1</c>. The tree walked is the period's: a unit moved on or after the period's end is still
    /// under the parent it left, and a unit closed into a successor (merged, or dissolved with one) before the period's end
    /// belongs to its successor for that period and no longer to its old parent. So from a date its dossiers count once,
    /// under the successor or the new parent, an emptied district counts none, and a report on a period that ends by the
    /// date stays what it was. A subtree still reaches the history of the units merged into it.
    /// With <paramref name="movedSince"/> false (no move dated on or after the period's end, the common case) the period's
    /// tree is today's, and the walk reads <c>unit_directory</c> itself, as its indexes serve it; only a period a later move
    /// reaches pays for the tree rebuilt with the parents units left (<c>tree</c>).
    /// </summary>
    private static string Branches(bool byChild, bool movedSince)
    {
        var units = movedSince ? "tree" : "unit_directory";
        var tree = movedSince
            ? """
                left_later AS (
                    SELECT DISTINCT ON (unit_id) unit_id, previous_parent FROM unit_moves WHERE effective_on >= $4 ORDER BY unit_id, effective_on
                ), tree AS (
                    SELECT u.id, u.valid_from, u.valid_to, u.merged_into,
                        CASE WHEN l.unit_id IS NULL THEN u.parent_id ELSE l.previous_parent END AS parent_id
                    FROM unit_directory u LEFT JOIN left_later l ON l.unit_id = u.id
                ),
                """
            : "";
        var walk = byChild
            ? $"""
                SELECT id, id AS key FROM {units} u
                WHERE {UpOf("u")} = $1 AND coalesce(u.valid_from, $3) < $4 AND (u.valid_to IS NULL OR u.valid_to > $3)
                UNION
                SELECT u.id, b.key FROM {units} u JOIN branch b ON {UpOf("u")} = b.id
                """
            : $"""
                SELECT $1::uuid AS id, $1::uuid AS key
                UNION
                SELECT u.id, b.key FROM {units} u JOIN branch b ON u.merged_into = b.id OR u.parent_id = b.id AND NOT {ClosedInto("u")}
                """;
        return $"""
            WITH RECURSIVE {tree} branch AS (
            {walk}
            )

            """;
    }

    /// <summary>Whether a move dated on or after <paramref name="to"/> (a period's end) makes that period's tree differ from today's.</summary>
    private static async Task<bool> MovedSinceAsync(NpgsqlConnection connection, DateOnly to, CancellationToken ct) =>
        await connection.ScalarAsync<bool>(null, "SELECT EXISTS (SELECT 1 FROM unit_moves WHERE effective_on >= $1)", ct, to);

    /// <summary>Whether the unit is closed into a successor before the period's end.</summary>
    private static string ClosedInto(string u) => $"({u}.merged_into IS NOT NULL AND {u}.valid_to < $4)";

    /// <summary>The one unit a unit belongs to in the period: its successor once closed into it, otherwise its parent.</summary>
    private static string UpOf(string u) => $"(CASE WHEN {ClosedInto(u)} THEN {u}.merged_into ELSE {u}.parent_id END)";

    /// <summary>The period's first and last-plus-one days, as <c>$3</c> and <c>$4</c> of <see cref="Branches"/>.</summary>
    private static (DateOnly From, DateOnly To) Days(string period)
    {
        var (from, to) = Period.Bounds(period);
        return (DateOnly.FromDateTime(from.DateTime), DateOnly.FromDateTime(to.DateTime));
    }

    /// <summary>The figures of <paramref name="root"/>'s subtree, or with <paramref name="byChild"/> of each child's subtree.</summary>
    public static async Task<Dictionary<Guid, Figures>> LoadAsync(
        NpgsqlConnection connection, Guid root, string period, DateTimeOffset asOf, bool byChild, CancellationToken ct)
    {
        var (from, to) = Days(period);
        var cte = Branches(byChild, await MovedSinceAsync(connection, to, ct));
        var figures = new Dictionary<Guid, Figures>();
        Figures Of(Guid key) => figures.TryGetValue(key, out var f) ? f : figures[key] = new Figures();
        if (!byChild) Of(root);
        else foreach (var child in await connection.ListAsync(null, cte + "SELECT key FROM branch WHERE id = key", r => r.GetGuid(0), ct, root, period, from, to)) Of(child);

        var sums = string.Join(", ", UnitCounters.Columns.Select(c => $"sum(s.{c})::bigint"));
        foreach (var (key, counts) in await connection.ListAsync(null, cte + $"""
            SELECT b.key, {sums} FROM unit_period_stats s JOIN branch b ON b.id = s.unit_id WHERE s.period = $2 GROUP BY b.key
            """, r => (r.GetGuid(0), Enumerable.Range(1, UnitCounters.Columns.Length).Select(r.GetInt64).ToArray()), ct, root, period, from, to))
            counts.CopyTo(Of(key).Counts, 0);
        foreach (var (key, count) in await connection.ListAsync(null, cte + """
            SELECT b.key, count(*) FROM dossier_outcomes o JOIN branch b ON b.id = o.unit_id
            WHERE o.resolved_at IS NULL AND o.closed_at IS NULL AND o.due_at < $2 GROUP BY b.key
            """, r => (r.GetGuid(0), r.GetInt64(1)), ct, root, asOf, from, to))
            Of(key).OverdueOpen = count;
        foreach (var (key, count) in await connection.ListAsync(null, cte + """
            SELECT b.key, count(*) FROM feedback_outcomes f JOIN branch b ON b.id = f.unit_id
            WHERE f.answer_due_at < $2 AND (f.answered_at IS NULL OR f.answered_at >= $2) GROUP BY b.key
            """, r => (r.GetGuid(0), r.GetInt64(1)), ct, root, asOf, from, to))
            Of(key).FeedbackOverdue = count;
        return figures;
    }

    /// <summary>The subtree's processing times, to the quarter hour, for percentiles: (quarter hours, dossiers) ascending.</summary>
    public static async Task<List<(int QuarterHours, long Dossiers)>> ProcessingAsync(
        NpgsqlConnection connection, Guid root, string period, CancellationToken ct)
    {
        var (from, to) = Days(period);
        return await connection.ListAsync(null, Branches(byChild: false, await MovedSinceAsync(connection, to, ct)) + """
            SELECT p.quarter_hours, sum(p.dossiers)::bigint FROM unit_period_processing p JOIN branch b ON b.id = p.unit_id
            WHERE p.period = $2 GROUP BY p.quarter_hours HAVING sum(p.dossiers) > 0 ORDER BY p.quarter_hours
            """, r => (r.GetInt32(0), r.GetInt64(1)), ct, root, period, from, to);
    }
}
