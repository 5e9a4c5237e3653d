using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary>An administrative unit as docs/api.md §3 shows it.</summary>
public sealed record Unit(
    Guid Id, string Code, string Name, string Type, Guid? ParentId, string? AgencyCode,
    DateOnly ValidFrom, DateOnly? ValidTo, Guid? MergedInto, string? AgencyKind = null)
{
    public static readonly string[] Types = UnitTypes.All;

    public static readonly string[] CommuneLevel = UnitTypes.CommuneLevel;

    public const string Columns = "id, code, name, type, parent_id, agency_code, valid_from, valid_to, merged_into, agency_kind";

    public bool IsOpenOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || ValidTo > day);

    public static Unit Read(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.Nullable<Guid>(4),
        row.NullableString(5), row.GetFieldValue<DateOnly>(6), row.Nullable<DateOnly>(7), row.Nullable<Guid>(8), row.NullableString(9));

    public static async Task<Unit?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        (await connection.ListAsync(tx, $"SELECT {Columns} FROM units WHERE id = $1", Read, ct, id)).SingleOrDefault();

    /// <summary>Reads and locks the unit for a reorganisation: two changes racing over one unit must not both apply.</summary>
    public static async Task<Unit?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        (await connection.ListAsync(tx, $"SELECT {Columns} FROM units WHERE id = $1 FOR UPDATE", Read, ct, id)).SingleOrDefault();
}
