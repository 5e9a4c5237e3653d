
namespace MotCua.Personnel.Units;

/// <summary>Walking the tree: a unit's subtree, its province, and its successor after merges.</summary>
public static class UnitTree
{
    /// <summary>
    /// A unit and everything under it, following children and units merged into it: after a merge,
    /// questions about the old units' subtree are answered through the new unit. <c>$1</c> is the root.
    /// </summary>
    public static readonly string SubtreeSql = UnitScope.SubtreeCte("units");

    public static async Task<HashSet<Guid>> SubtreeAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid root, CancellationToken ct) =>
        [.. await connection.ListAsync(tx, SubtreeSql + "SELECT id FROM subtree", r => r.GetGuid(0), ct, root)];

    /// <summary>The top of the unit's branch: its province, or the root of a tree without one.</summary>
    public static async Task<Guid> ProvinceOfAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid unit, CancellationToken ct)
    {
        var chain = await connection.ListAsync(tx, """
            WITH RECURSIVE up AS (
                SELECT id, parent_id, type, 0 AS depth FROM units WHERE id = $1
                UNION ALL
                SELECT u.id, u.parent_id, u.type, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < 64
            )
            SELECT id, type FROM up ORDER BY depth
            """, r => (Id: r.GetGuid(0), Type: r.GetString(1)), ct, unit);
        return chain.FirstOrDefault(u => u.Type == "province").Id is var province && province != Guid.Empty
            ? province
            : chain[^1].Id;
    }

    /// <summary>
    /// The unit that answers for <paramref name="unit"/> on <paramref name="day"/>: itself while open,
    /// otherwise the unit it was merged into (and so on).
    /// </summary>
    public static async Task<Unit?> AnswerableOnAsync(NpgsqlConnection connection, Guid unit, DateOnly day, CancellationToken ct)
    {
        var current = await Unit.FindAsync(connection, null, unit, ct);
        for (var hops = 0; current is { ValidTo: { } closed, MergedInto: { } next } && closed <= day && hops < 64; hops++)
            current = await Unit.FindAsync(connection, null, next, ct);
        return current;
    }
}
