using MotCua.Contracts;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// A letter as docs/api.md §4 lists it. A draft (<see cref="State"/> <c>draft</c>) waits for a leader of the unit at fault
/// to sign it and has no <see cref="IssuedAt"/> yet; <see cref="IssuedBy"/> is that unit, in whose name it goes out.
/// </summary>
public sealed record Apology(
    string Number, DateTimeOffset? IssuedAt, string Reason, Guid ResponsibleUnitId, string ResponsibleStep, Guid? ResponsibleOfficialId,
    DateTimeOffset PreviousDueAt, DateTimeOffset NewDueAt, bool Automatic, string State = ApologyStates.Issued, Guid? IssuedBy = null,
    ApologySigner? Signer = null, bool? InTime = null, DateTimeOffset? DraftedAt = null)
{
    public const string Columns = """
        number, issued_at, reason, responsible_unit_id, responsible_step, responsible_official_id, previous_due_at, new_due_at, automatic,
        state, issuing_unit_id, signer_id, signer_name, signer_title, in_time, drafted_at
        """;

    public static Apology Read(NpgsqlDataReader row) => new(row.Get<string>("number"), row.Get<DateTimeOffset?>("issued_at"),
        row.Get<string>("reason"), row.Get<Guid>("responsible_unit_id"), row.Get<string>("responsible_step"),
        row.Get<Guid?>("responsible_official_id"), row.Get<DateTimeOffset>("previous_due_at"), row.Get<DateTimeOffset>("new_due_at"),
        row.Get<bool>("automatic"), row.Get<string>("state"), row.Get<Guid?>("issuing_unit_id"),
        row.Get<Guid?>("signer_id") is { } signer ? new ApologySigner(signer, row.Get<string?>("signer_name") ?? "", row.Get<string?>("signer_title")) : null,
        row.Get<bool?>("in_time"), row.Get<DateTimeOffset?>("drafted_at"));
}

/// <summary>A letter's states: drafted for a leader to sign, or issued to the citizen.</summary>
public static class ApologyStates
{
    public const string Draft = "draft";
    public const string Issued = "issued";
}

/// <summary>Who caused a delay: the unit, the step and the official who held it.</summary>
public readonly record struct Fault(Guid Unit, Dossiers.DossierStep Step, Guid? Official);
