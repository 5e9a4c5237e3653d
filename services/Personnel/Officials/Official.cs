using MotCua.Contracts;

namespace MotCua.Personnel.Officials;

public sealed record Education(
    string? General, string? Professional, string? Major, string? PoliticalTheory, string? StateManagement,
    string? It = null, string? ForeignLanguage = null);

public sealed record Posting(Guid UnitId, DateOnly ValidFrom, DateOnly? ValidTo);

/// <summary>
/// A cán bộ, công chức as stored; <see cref="UnitId"/> is where the posting of the day puts them. <see cref="Contact"/> is
/// personal data: an answer passes it through <see cref="OfficialContacts.AsSeenBy"/>.
/// </summary>
public sealed record Official(
    Guid Id, string FullName, string Gender, DateOnly BirthDate, string Ethnicity, string Category, string Title,
    Education Education, string[] Roles, Guid? PositionId, bool Disabled, Guid? UnitId, OfficialContact? Contact = null)
{
    public bool EthnicMinority => Qualifications.IsEthnicMinority(Ethnicity);

    public const string Columns = """
        o.id, o.full_name, o.gender, o.birth_date, o.ethnicity, o.category, o.title, o.general_education,
        o.professional_level, o.major, o.political_theory, o.state_management, o.it_skill, o.foreign_language,
        o.roles, o.position_id, o.disabled, o.phone, o.email
        """;

    /// <summary>How many columns <see cref="Columns"/> reads: what a query selects after them starts at this index.</summary>
    public const int Width = 19;

    /// <summary>Officials joined to the posting valid on <c>$1</c> (a date), as <c>p</c>.</summary>
    public const string PostedOn = """
        FROM officials o JOIN postings p ON p.official_id = o.id AND p.valid_from <= $1 AND (p.valid_to IS NULL OR p.valid_to > $1)
        """;

    public static Official Read(NpgsqlDataReader r, Guid? unitId) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateOnly>(3), r.GetString(4), r.GetString(5), r.GetString(6),
        new Education(r.GetString(7), r.GetString(8), r.NullableString(9), r.GetString(10), r.GetString(11),
            r.NullableString(12), r.NullableString(13)),
        r.GetFieldValue<string[]>(14), r.Nullable<Guid>(15), r.GetBoolean(16), unitId,
        OfficialContacts.Of(r.NullableString(17), r.NullableString(18)));

    public static async Task<Official?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, DateOnly day, CancellationToken ct) =>
        (await connection.ListAsync(tx, $"""
            SELECT {Columns}, (SELECT unit_id FROM postings p WHERE p.official_id = o.id AND p.valid_from <= $2
                               ORDER BY p.valid_from DESC LIMIT 1)
            FROM officials o WHERE o.id = $1
            """, r => Read(r, r.Nullable<Guid>(Width)), ct, id, day)).SingleOrDefault();

    public static Task<List<Posting>> PostingsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        connection.ListAsync(tx, "SELECT unit_id, valid_from, valid_to FROM postings WHERE official_id = $1 ORDER BY valid_from",
            r => new Posting(r.GetGuid(0), r.GetFieldValue<DateOnly>(1), r.Nullable<DateOnly>(2)), ct, id);
}
