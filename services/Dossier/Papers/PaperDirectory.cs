using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Papers;

/// <summary>
/// What the papers need from this service's copy of Personnel's tree and officials: the issuing body, who signs for it,
/// and officials' full names (the control sheet prints names, not log-in names). The renderings take these as inputs.
/// </summary>
public static class PaperDirectory
{
    /// <summary>The issuing body of a unit: its People's Committee, or an agency under the unit it is attached to.</summary>
    public static async Task<Issuer> IssuerAsync(NpgsqlConnection connection, Guid unitId, CancellationToken ct)
    {
        var found = await connection.ListAsync(null, """
            SELECT coalesce(u.name, ''), u.type, p.name, p.type
            FROM unit_directory u LEFT JOIN unit_directory p ON p.id = u.parent_id WHERE u.id = $1
            """, r => (Name: r.GetString(0), Type: r.NullableString(1), Parent: r.NullableString(2), ParentType: r.NullableString(3)), ct, unitId);
        return found.Count == 0 || found[0].Name.Length == 0
            ? Decree30.IssuerOf("Ủy ban nhân dân", null, null, null)
            : Decree30.IssuerOf(found[0].Name, found[0].Type, found[0].Parent, found[0].ParentType);
    }

    /// <summary>
    /// Who signs for a unit on a day: a leader posted there, the head before a deputy (<see cref="UnitHeads"/>, as the
    /// letters' signers are chosen). Null when the unit has no leader: the block is signed by hand.
    /// </summary>
    public static async Task<Signatory?> SignatoryAsync(NpgsqlConnection connection, Guid unitId, DateTimeOffset at, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(at.ToOffset(WorkingCalendar.Offset).DateTime);
        return (await UnitHeads.OfAsync(connection, null, [unitId], day, ct)).TryGetValue(unitId, out var head)
            ? new Signatory(head.Name, head.Title) : null;
    }

    /// <summary>An official's full name and title; null for one this copy does not know (the platform's own actions).</summary>
    public static async Task<Signatory?> OfficialAsync(NpgsqlConnection connection, Guid officialId, CancellationToken ct) =>
        (await connection.ListAsync(null, "SELECT full_name, title FROM official_directory WHERE id = $1 AND full_name <> ''",
            r => new Signatory(r.GetString(0), r.NullableString(1)), ct, officialId)).SingleOrDefault();
}
