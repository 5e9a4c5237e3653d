using MotCua.Contracts;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Organisation;

/// <summary>A unit as the catalogue and routing see it in a service's copy of the tree.</summary>
public sealed record DirectoryUnit(Guid Id, string Name, string Type, string? AgencyKind, DateOnly? ValidTo, Guid? MergedInto)
{
    /// <summary>An agency by its kind, any other unit by its type: what <c>receivedBy</c> and a step's <c>unitKind</c> name.</summary>
    public string Kind => AgencyKinds.KindOf(Type, AgencyKind);

    public bool IsClosedOn(DateOnly day) => ValidTo is { } closed && closed <= day;
}

/// <summary>
/// Which body serves a unit (địa bàn phục vụ), from the directory copy alone: a liên thông step that names a kind of
/// body rather than one body goes to the nearest body of that kind for the receiving unit. Walking up from the
/// receiving unit, at each level the agencies of that kind the province has assigned to it win; then those attached
/// to it that have no explicit area; then, for a territorial kind (a district, the province), the level itself.
/// </summary>
public static class ServiceAreas
{
    public static async Task<DirectoryUnit?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        (await connection.ListAsync(tx, "SELECT id, coalesce(name, ''), coalesce(type, ''), agency_kind, valid_to, merged_into FROM unit_directory WHERE id = $1",
            ReadUnit, ct, id)).SingleOrDefault();

    private static DirectoryUnit ReadUnit(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.Nullable<DateOnly>(4), r.Nullable<Guid>(5));

    /// <summary>The unit and its ancestors, nearest first.</summary>
    public static Task<List<DirectoryUnit>> ChainAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid unit, CancellationToken ct) =>
        connection.ListAsync(tx, """
            WITH RECURSIVE up AS (
                SELECT id, parent_id, 0 AS depth FROM unit_directory WHERE id = $1
                UNION ALL
                SELECT u.id, u.parent_id, up.depth + 1 FROM unit_directory u JOIN up ON u.id = up.parent_id WHERE up.depth < 64
            )
            SELECT u.id, coalesce(u.name, ''), coalesce(u.type, ''), u.agency_kind, u.valid_to, u.merged_into
            FROM up JOIN unit_directory u ON u.id = up.id ORDER BY up.depth
            """, ReadUnit, ct, unit);

    /// <summary>The province a unit belongs to (the top of its branch when it has none).</summary>
    public static async Task<Guid?> ProvinceOfAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid unit, CancellationToken ct) =>
        ProvinceIn(await ChainAsync(connection, tx, unit, ct));

    /// <summary>The province of a chain from <see cref="ChainAsync"/> (the top of it when there is none).</summary>
    public static Guid? ProvinceIn(IReadOnlyList<DirectoryUnit> chain) =>
        chain.FirstOrDefault(u => u.Type == UnitTypes.Province)?.Id ?? chain.LastOrDefault()?.Id;

    /// <summary>The open unit of <paramref name="kind"/> that serves <paramref name="unit"/> on <paramref name="day"/>, or null.</summary>
    public static async Task<DirectoryUnit?> ServingAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid unit, string kind, DateOnly day, CancellationToken ct)
    {
        foreach (var level in await ChainAsync(connection, tx, unit, ct))
        {
            if (level.Kind == kind && !level.IsClosedOn(day)) return level;
            var agencies = await connection.ListAsync(tx, """
                SELECT a.id, coalesce(a.name, ''), coalesce(a.type, ''), a.agency_kind, a.valid_to, a.merged_into,
                       EXISTS (SELECT 1 FROM agency_service_areas s WHERE s.agency_id = a.id AND s.unit_id = $1) AS assigned
                FROM unit_directory a
                WHERE a.type = 'agency' AND a.agency_kind = $2 AND (a.valid_to IS NULL OR a.valid_to > $3) AND a.valid_from <= $3
                  AND (EXISTS (SELECT 1 FROM agency_service_areas s WHERE s.agency_id = a.id AND s.unit_id = $1)
                       OR (a.parent_id = $1 AND NOT EXISTS (SELECT 1 FROM agency_service_areas s WHERE s.agency_id = a.id)))
                ORDER BY assigned DESC, a.code
                LIMIT 1
                """, r => ReadUnit(r), ct, level.Id, kind, day);
            if (agencies.Count > 0) return agencies[0];
        }
        return null;
    }

    /// <summary>Whether any open unit of <paramref name="kind"/> exists (in <paramref name="province"/> when given).</summary>
    public static async Task<bool> AnyOfKindAsync(NpgsqlConnection connection, string kind, Guid? province, DateOnly day, CancellationToken ct)
    {
        var candidates = await connection.ListAsync(null, """
            SELECT id FROM unit_directory
            WHERE (CASE WHEN type = 'agency' THEN coalesce(agency_kind, 'other') ELSE type END) = $1
              AND (valid_to IS NULL OR valid_to > $2)
            LIMIT 200
            """, r => r.GetGuid(0), ct, kind, day);
        if (province is null) return candidates.Count > 0;
        foreach (var id in candidates)
            if (await ProvinceOfAsync(connection, null, id, ct) == province) return true;
        return false;
    }
}
