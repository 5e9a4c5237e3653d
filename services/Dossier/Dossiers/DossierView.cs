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

    /// <summary>
    /// The units the dossier belongs to: the receiving unit and every unit performing one of its steps (liên thông).
    /// Officials of each, and of the units above them, see it.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyCollection<Guid> Units => [.. Steps.Select(s => s.UnitId ?? UnitId).Append(UnitId).Distinct()];

    /// <summary>The unit performing a step: its own, or the receiving unit's.</summary>
    public Guid UnitOf(DossierStep step) => step.UnitId ?? UnitId;

    /// <summary>Whether the caller may see the dossier: their scope reaches one of its units.</summary>
    public Task<bool> VisibleToAsync(UnitScope scope, Caller caller, CancellationToken ct) => scope.CoversAnyAsync(caller, Units, ct);

    public const string Columns = """
        id, code, status, procedure_code, unit_id, channel, applicant::text, papers::text, received_at, due_at, new_due_at, version,
        procedure_name, procedure_version, rule_set, current_step, waiting_since, resolved_at, reason
        """;

    /// <summary>A row carrying <see cref="Columns"/>, read by the columns' names.</summary>
    public static DossierView Read(NpgsqlDataReader row) => new(
        row.Get<Guid>("id"), row.Get<string>("code"), row.Get<string>("status"), row.Get<string>("procedure_code"), row.Get<Guid>("unit_id"),
        row.Get<string>("channel"), JsonSerializer.Deserialize<Applicant>(row.Get<string>("applicant"), JsonSerializerOptions.Web)!,
        JsonSerializer.Deserialize<string[]>(row.Get<string>("papers"))!, row.Get<DateTimeOffset>("received_at"),
        row.Get<DateTimeOffset?>("due_at"), row.Get<DateTimeOffset?>("new_due_at"), row.Get<int>("version"), [],
        row.Get<string?>("procedure_name"), row.Get<int?>("procedure_version"), row.Get<string?>("rule_set"), row.Get<int?>("current_step"),
        row.Get<DateTimeOffset?>("waiting_since"), row.Get<DateTimeOffset?>("resolved_at"), row.Get<string?>("reason"));

    /// <summary>Loads by <paramref name="column"/> (code, id or idempotency_key); <paramref name="forUpdate"/> locks the row.</summary>
    public static async Task<DossierView?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string column, object value, CancellationToken ct, bool forUpdate = false)
    {
        var found = await connection.QuerySingleOrDefaultAsync(tx,
            $"SELECT {Columns} FROM dossiers WHERE {column} = @value{(forUpdate ? " FOR UPDATE" : "")}", new { value }, Read, ct);
        if (found is null) return null;
        var steps = await connection.QueryAsync(tx, $"SELECT {StepColumns} FROM dossier_steps WHERE dossier_id = @dossierId ORDER BY index",
            new { dossierId = found.Id }, ReadStep, ct);
        return found with { Steps = steps };
    }

    public const string StepColumns = "index, name, role, hours, assignee_id, due_at, started_at, completed_at, outcome, unit_id, completed_by, dossier_id";

    public static DossierStep ReadStep(NpgsqlDataReader row) => new(row.Get<int>("index"), row.Get<string>("name"), row.Get<string>("role"),
        row.Get<decimal>("hours"), row.Get<Guid?>("assignee_id"), row.Get<DateTimeOffset>("due_at"), row.Get<DateTimeOffset?>("started_at"),
        row.Get<DateTimeOffset?>("completed_at"), row.Get<string?>("outcome"), row.Get<Guid?>("unit_id"), row.Get<Guid?>("completed_by"));
}
