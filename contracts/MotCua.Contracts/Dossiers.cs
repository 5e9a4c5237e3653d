namespace MotCua.Contracts;

/// <summary>How the citizen reached us. Contact details travel only in events Notification needs.</summary>
public sealed record ApplicantContact(string FullName, string? Phone, string? Email);

/// <summary>A dossier (hồ sơ) was received at a one-stop counter and given its code.</summary>
public sealed record DossierReceived(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    string Channel,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueAt,
    ApplicantContact Applicant) : IIntegrationEvent;
