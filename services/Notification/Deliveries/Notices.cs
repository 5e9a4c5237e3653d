using MotCua.Contracts;
using MotCua.Hosting.Time;
using MotCua.Data.Time;

namespace MotCua.Notification.Deliveries;

/// <summary>
/// What each event tells whom: the template, the citizen's contact (when the citizen is told) and the
/// values the template may use — all from the event alone. Officials are told on the <c>log</c> channel
/// until Personnel carries their contact details.
/// </summary>
public sealed record Notice(
    string Template, Guid EventId, string DossierCode, Guid UnitId, ApplicantContact? Citizen, string? Officials, bool Urgent,
    IReadOnlyDictionary<string, string> Values);

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
        // Reminders to officials are not urgent: quiet hours hold them until morning.
        DossierAtRisk e => new("dossier-at-risk", e.EventId, e.Code, e.UnitId, null, $"holder and leaders of {e.UnitId}", false,
            Values(e.Code, null, ("step", e.StepName), ("stepDueAt", When(e.StepDueAt)))),
        DossierOverdue e => new("dossier-overdue", e.EventId, e.Code, e.UnitId, null, $"leaders of {e.UnitId}", true,
            Values(e.Code, null, ("step", e.ResponsibleStep))),
        DossierEscalated e => new("dossier-escalated", e.EventId, e.Code, e.UnitId, null, $"leaders of {e.ParentUnitId ?? e.UnitId}", true,
            Values(e.Code, null, ("step", e.ResponsibleStep))),
        _ => null,
    };

    private static Notice Citizen(string template, DossierStatusChanged e) =>
        new(template, e.EventId, e.Code, e.UnitId, e.Applicant, null, true,
            Values(e.Code, e.Applicant, ("reason", e.Reason), ("dueAt", When(e.DueAt)), ("dueDate", Day(e.DueAt))));
}
