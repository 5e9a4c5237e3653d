using System.Text.Json;
using System.Text.Json.Serialization;

namespace MotCua.Dossier.Dossiers;

public sealed record Applicant(string? FullName, string? IdNumber, string? Phone, string? Email, string? Address);

public sealed record DossierStep(
    int Index, string Name, string Role, decimal Hours, Guid? AssigneeId, DateTimeOffset DueAt,
    DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, string? Outcome, Guid? UnitId = null, Guid? CompletedBy = null);

/// <summary>A dossier as docs/api.md §4 returns it, with its steps; <see cref="PortalStatus"/> is the national portal's name for its state.</summary>
public sealed record DossierView(
    Guid Id,
    string Code,
    string Status,
    string ProcedureCode,
    Guid UnitId,
    string Channel,
    Applicant Applicant,
    IReadOnlyList<string> Papers,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? NewDueAt,
    int Version,
    IReadOnlyList<DossierStep> Steps,
    string? ProcedureName = null,
    int? ProcedureVersion = null,
    string? RuleSet = null,
    int? CurrentStep = null,
    DateTimeOffset? WaitingSince = null,
    DateTimeOffset? ResolvedAt = null,
    string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Receipt? Receipt = null)
{
    public string PortalStatus => Dossiers.PortalStatus.Of(Status);

    public DossierStep? Current => CurrentStep is { } i && i < Steps.Count ? Steps[i] : null;

    public const string Columns = """
        id, code, status, procedure_code, unit_id, channel, applicant::text, papers::text, received_at, due_at, new_due_at, version,
        procedure_name, procedure_version, rule_set, current_step, waiting_since, resolved_at, reason
        """;

    public static DossierView Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetGuid(4), r.GetString(5),
        JsonSerializer.Deserialize<Applicant>(r.GetString(6), JsonSerializerOptions.Web)!,
        JsonSerializer.Deserialize<string[]>(r.GetString(7))!,
        r.GetFieldValue<DateTimeOffset>(8), r.Nullable<DateTimeOffset>(9), r.Nullable<DateTimeOffset>(10), r.GetInt32(11), [],
        r.NullableString(12), r.Nullable<int>(13), r.NullableString(14), r.Nullable<int>(15), r.Nullable<DateTimeOffset>(16),
        r.Nullable<DateTimeOffset>(17), r.NullableString(18));

    /// <summary>Loads by <paramref name="column"/> (code, id or idempotency_key); <paramref name="forUpdate"/> locks the row.</summary>
    public static async Task<DossierView?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string column, object value, CancellationToken ct, bool forUpdate = false)
    {
        var found = (await connection.ListAsync(tx, $"SELECT {Columns} FROM dossiers WHERE {column} = $1{(forUpdate ? " FOR UPDATE" : "")}",
            Read, ct, value)).SingleOrDefault();
        if (found is null) return null;
        var steps = await connection.ListAsync(tx, $"SELECT {StepColumns} FROM dossier_steps WHERE dossier_id = $1 ORDER BY index",
            r => ReadStep(r), ct, found.Id);
        return found with { Steps = steps };
    }

    public const string StepColumns = "index, name, role, hours, assignee_id, due_at, started_at, completed_at, outcome, unit_id, completed_by, dossier_id";

    public static DossierStep ReadStep(NpgsqlDataReader r) => new(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetDecimal(3),
        r.Nullable<Guid>(4), r.GetFieldValue<DateTimeOffset>(5), r.Nullable<DateTimeOffset>(6), r.Nullable<DateTimeOffset>(7),
        r.NullableString(8), r.Nullable<Guid>(9), r.Nullable<Guid>(10));
}
