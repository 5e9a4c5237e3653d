using MotCua.Contracts;
using MotCua.Hosting.Time;
using MotCua.Data.Time;

namespace MotCua.Notification.Deliveries;

/// <summary>
/// What each event tells whom: the template, the citizen's contact (when the citizen is told), the officials (when they
/// are: see <see cref="OfficialAudience"/>) and the values the template may use — all from the event alone.
/// </summary>
public sealed record Notice(
    string Template, Guid EventId, string DossierCode, Guid UnitId, ApplicantContact? Citizen, OfficialAudience? Officials, bool Urgent,
    IReadOnlyDictionary<string, string> Values);

/// <summary>
/// The officials a notice is for: those it names (a step's holder, the official at fault, an assignee) and the leaders
/// (lãnh đạo) of <see cref="LeadersOf"/> — active, with the leader role, posted there on <see cref="Day"/>. Each is reached
/// by what Notification's copy of the directory knows of them (<see cref="OfficialRecipients"/>).
/// </summary>
public sealed record OfficialAudience(IReadOnlyList<Guid> Named, Guid? LeadersOf, DateOnly Day)
{
    public static OfficialAudience Of(DateTimeOffset occurredAt, Guid? named, Guid? leadersOf) =>
        new(named is { } id ? [id] : [], leadersOf, DateOnly.FromDateTime(VietnamTime.ToLocal(occurredAt).DateTime));
}

public static class Notices
{
    private static string Day(DateTimeOffset? at) => at is { } t ? $"{VietnamTime.ToLocal(t):dd/MM/yyyy}" : "";

    private static string When(DateTimeOffset? at) => at is { } t ? $"{VietnamTime.ToLocal(t):HH:mm dd/MM/yyyy}" : "";

    private static Dictionary<string, string> Values(string code, ApplicantContact? citizen, params (string Key, string? Value)[] more)
    {
        var values = new Dictionary<string, string> { ["code"] = code, ["applicant"] = citizen?.FullName ?? "" };
        foreach (var (key, value) in more) values[key] = value ?? "";
        return values;
    }

    public static Notice? For(object message) => message switch
    {
        DossierReceived e => new(e.Status == "registered" ? "dossier-registered" : "dossier-received", e.EventId, e.Code, e.UnitId, e.Applicant,
            null, true, Values(e.Code, e.Applicant, ("procedure", e.ProcedureName ?? e.ProcedureCode), ("receivedAt", When(e.ReceivedAt)),
                ("dueAt", When(e.DueAt)), ("dueDate", Day(e.DueAt)))),
        DossierSupplementRequested e => Citizen("supplement-requested", e),
        DossierPaymentRequested e => Citizen("payment-requested", e),
        DossierRefused e => Citizen("dossier-refused", e),
        DossierRejected e => Citizen("dossier-rejected", e),
        DossierResolved e => Citizen("result-ready", e),
        DossierReturned e => Citizen("dossier-returned", e),
        ApologyIssued e => new("apology-issued", e.EventId, e.Code, e.UnitId, e.Applicant, null, true,
            Values(e.Code, e.Applicant, ("procedure", e.ProcedureName ?? e.ProcedureCode), ("reason", e.Reason), ("number", e.Number),
                ("newDueAt", When(e.NewDueAt)), ("newDueDate", Day(e.NewDueAt)))),
        // The letter cannot wait for the morning: the law wants it out a working day before the due time.
        ApologyDrafted e => new("apology-drafted", e.EventId, e.Code, e.UnitId, null,
            OfficialAudience.Of(e.OccurredAt, e.ResponsibleOfficialId, e.IssuingUnitId), true,
            Values(e.Code, null, ("step", e.ResponsibleStep), ("number", e.Number), ("dueAt", When(e.DueAt)), ("newDueAt", When(e.ProposedDueAt)))),
        // Reminders to officials are not urgent: quiet hours hold them until morning. Each goes to the unit whose step it
        // is (liên thông: another unit's), not to the receiving one.
        DossierAtRisk e => new("dossier-at-risk", e.EventId, e.Code, e.UnitId, null,
            OfficialAudience.Of(e.OccurredAt, e.HolderId, e.StepUnitId ?? e.UnitId), false,
            Values(e.Code, null, ("step", e.StepName), ("stepDueAt", When(e.StepDueAt)))),
        DossierOverdue e => new("dossier-overdue", e.EventId, e.Code, e.UnitId, null,
            OfficialAudience.Of(e.OccurredAt, e.ResponsibleOfficialId, e.ResponsibleUnitId), true,
            Values(e.Code, null, ("step", e.ResponsibleStep))),
        // The level above the unit at fault; a unit at the top answers to its own leaders.
        DossierEscalated e => new("dossier-escalated", e.EventId, e.Code, e.UnitId, null,
            OfficialAudience.Of(e.OccurredAt, null, e.ParentUnitId ?? e.ResponsibleUnitId), true,
            Values(e.Code, null, ("step", e.ResponsibleStep))),
        // Every hand-off, the counter's transfer (chuyển hồ sơ) included, is a DossierStepCompleted: DossierTransferred
        // repeats the transfer, and telling the assignee from both would tell them twice.
        DossierStepCompleted { NextAssigneeId: { } assignee } e => new("dossier-assigned", e.EventId, e.Code, e.UnitId, null,
            OfficialAudience.Of(e.OccurredAt, assignee, null), false,
            Values(e.Code, null, ("step", e.NextStepName), ("stepDueAt", When(e.NextStepDueAt)))),
        // A leader of the unit performing the step gave it to one of its officials (phân công).
        DossierStepAssigned e => new("dossier-assigned", e.EventId, e.Code, e.UnitId, null,
            OfficialAudience.Of(e.OccurredAt, e.AssigneeId, null), false,
            Values(e.Code, null, ("step", e.StepName), ("stepDueAt", When(e.StepDueAt)))),
        _ => null,
    };

    private static Notice Citizen(string template, DossierStatusChanged e) =>
        new(template, e.EventId, e.Code, e.UnitId, e.Applicant, null, true,
            Values(e.Code, e.Applicant, ("reason", e.Reason), ("dueAt", When(e.DueAt)), ("dueDate", Day(e.DueAt))));
}
