using System.Text.Json;

namespace MotCua.Dossier.Procedures;

public sealed record ProcessingTime(decimal Value, string Unit)
{
    public const string WorkingDays = "workingDays";
    public const string WorkingHours = "workingHours";

    /// <summary>
    /// The statutory time in working hours: a working day is as long as the calendar's working periods
    /// (<c>Calendar:Periods</c>, eight hours by default).
    /// </summary>
    public decimal HoursIn(TimeSpan workingDay) =>
        // To the second: a day of 7 h 20 min makes three days exactly 22 hours, not 21.999….
        Unit == WorkingDays ? Math.Round(Value * workingDay.Ticks / TimeSpan.TicksPerHour, 4) : Value;
}

/// <summary>
/// One step of the internal workflow: the role that performs it, its share of the hours, and for a liên thông step
/// done elsewhere than the receiving unit either that unit or the kind of body (<c>land_registration</c>, <c>police</c>, …)
/// resolved at intake to the body of that kind serving the receiving unit.
/// </summary>
public sealed record ProcedureStep(string Name, string Role, decimal Hours, Guid? UnitId = null, string? UnitKind = null);

/// <summary>A thủ tục hành chính at one version. Dossiers keep the version they were received under.</summary>
public sealed record Procedure(
    string Code, int Version, string Name, string Field, string Level, ProcessingTime ProcessingTime, decimal Fees,
    IReadOnlyList<string> Papers, bool LienThong, decimal? ExtensionHours, IReadOnlyList<ProcedureStep> Steps,
    Guid? ProvinceId = null, IReadOnlyList<string>? ReceivedBy = null, bool ProvinceWide = false)
{
    public const string Columns =
        "code, version, name, field, level, processing_value, processing_unit, fees, papers, lien_thong, extension_hours, steps::text, "
        + "province_id, received_by, province_wide";

    /// <summary>The latest version of each code.</summary>
    public const string Latest = "SELECT DISTINCT ON (code) " + Columns + " FROM procedures";

    public static Procedure Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4),
        new ProcessingTime(r.GetDecimal(5), r.GetString(6)), r.GetDecimal(7), r.GetFieldValue<string[]>(8), r.GetBoolean(9),
        r.Nullable<decimal>(10), JsonSerializer.Deserialize<ProcedureStep[]>(r.GetString(11), JsonSerializerOptions.Web)!,
        r.Nullable<Guid>(12), r.GetFieldValue<string[]>(13), r.GetBoolean(14));

    /// <summary>The version a dossier was received under.</summary>
    public static async Task<Procedure> OfAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string code, int version, CancellationToken ct) =>
        (await connection.ListAsync(tx, $"SELECT {Columns} FROM procedures WHERE code = $1 AND version = $2", Read, ct, code, version)).Single();

    /// <summary>
    /// How far one apology may move the appointment: the procedure's own extension, else its statutory time again,
    /// in working hours (the sweeper's rule for the automatic apology).
    /// </summary>
    public decimal ExtensionHoursIn(TimeSpan workingDay) => ExtensionHours ?? ProcessingTime.HoursIn(workingDay);

    public static async Task<Procedure?> LatestAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string code, CancellationToken ct) =>
        (await connection.ListAsync(tx, Latest + " WHERE code = $1 ORDER BY code, version DESC", Read, ct, code)).SingleOrDefault();
}
