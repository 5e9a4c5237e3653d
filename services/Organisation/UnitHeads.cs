using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Organisation;

/// <summary>An official who signs for a unit (thủ trưởng): the full name and title printed under the signature.</summary>
public sealed record UnitHead(Guid OfficialId, string Name, string? Title)
{
    /// <summary>A deputy (Phó Chủ tịch, Phó Giám đốc) signs on the head's behalf (KT.), so a head is chosen first.</summary>
    public bool IsDeputy => Title?.TrimStart().StartsWith("Phó", StringComparison.OrdinalIgnoreCase) ?? false;
}

/// <summary>Who signs for each unit on a day, from the directory copy: its leaders posted there, the head before a deputy.</summary>
public static class UnitHeads
{
    public static async Task<Dictionary<Guid, UnitHead>> OfAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, IReadOnlyCollection<Guid> units, DateOnly day, CancellationToken ct)
    {
        if (units.Count == 0) return [];
        // A posting open on the day: none of the official's later than it.
        var leaders = await connection.ListAsync(tx, """
            SELECT p.unit_id, o.id, o.full_name, o.title FROM official_postings p JOIN official_directory o ON o.id = p.official_id
            WHERE p.unit_id = ANY($1) AND p.valid_from <= $2 AND 'leader' = ANY(o.roles) AND NOT o.disabled
              AND NOT EXISTS (SELECT 1 FROM official_postings later WHERE later.official_id = p.official_id
                              AND later.valid_from > p.valid_from AND later.valid_from <= $2)
            ORDER BY p.unit_id, o.full_name, o.id
            """, r => (Unit: r.GetGuid(0), Head: new UnitHead(r.GetGuid(1), r.GetString(2), r.NullableString(3))), ct, units.ToArray(), day);
        return leaders.GroupBy(l => l.Unit).ToDictionary(g => g.Key, g => g.Select(l => l.Head).OrderBy(h => h.IsDeputy).First());
    }

    /// <summary>Whether the official is a leader posted to the unit on the day (who may sign its papers).</summary>
    public static async Task<UnitHead?> LeaderAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid official, Guid unit, DateOnly day, CancellationToken ct) =>
        (await connection.ListAsync(tx, """
            SELECT o.id, o.full_name, o.title FROM official_postings p JOIN official_directory o ON o.id = p.official_id
            WHERE p.official_id = $1 AND p.unit_id = $2 AND p.valid_from <= $3 AND 'leader' = ANY(o.roles) AND NOT o.disabled
              AND NOT EXISTS (SELECT 1 FROM official_postings later WHERE later.official_id = p.official_id
                              AND later.valid_from > p.valid_from AND later.valid_from <= $3)
            """, r => new UnitHead(r.GetGuid(0), r.GetString(1), r.NullableString(2)), ct, official, unit, day)).FirstOrDefault();
}
