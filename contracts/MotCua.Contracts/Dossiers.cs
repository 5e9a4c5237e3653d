namespace MotCua.Contracts;

/// <summary>How to reach the citizen. Travels only in the events Notification needs to tell them something.</summary>
public sealed record ApplicantContact(string FullName, string? Phone, string? Email);

/// <summary>
/// Reception (tiếp nhận): a dossier got its code, its due time and its steps' deadlines. Online dossiers
/// arrive as <c>registered</c> and are received (or refused) by a counter officer later.
/// </summary>
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
    ApplicantContact Applicant,
    string Status = "received",
    string? ProcedureName = null,
    string? RuleSet = null) : IUnitEvent;

/// <summary>
/// One hand-off on the control sheet: the step that ended (with its deadline and whether it ended early,
/// on time or late) and the step that starts, with its holder and deadline. <see cref="Action"/> is the
/// workflow action (<c>transfer</c>, <c>complete-step</c>, <c>approve</c>).
/// </summary>
public sealed record DossierStepCompleted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    string Action,
    int StepIndex,
    string StepName,
    string StepRole,
    Guid CompletedBy,
    DateTimeOffset StepDueAt,
    string Timeliness,
    int? NextStepIndex,
    string? NextStepName,
    Guid? NextAssigneeId,
    DateTimeOffset? NextStepDueAt,
    DateTimeOffset DueAt,
    Guid? StepUnitId = null,
    Guid? NextStepUnitId = null) : IUnitEvent;

/// <summary>
/// A leader of the unit performing the step in progress gave it to one of the unit's officials (phân công), as when a
/// liên thông dossier arrives at the land office without a named specialist. <see cref="UnitId"/> is the receiving unit.
/// </summary>
public sealed record DossierStepAssigned(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    int StepIndex,
    string StepName,
    Guid StepUnitId,
    Guid AssigneeId,
    Guid AssignedBy,
    DateTimeOffset StepDueAt) : IUnitEvent;

/// <summary>The counter handed the dossier to the specialist body (chuyển hồ sơ); the first step completed.</summary>
public sealed record DossierTransferred(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    string ToStepName,
    Guid? AssigneeId,
    DateTimeOffset ToStepDueAt,
    DateTimeOffset DueAt) : IUnitEvent;

/// <summary>
/// A status change other than a step hand-off: supplement requested or resubmitted, payment requested or
/// confirmed, rejected, refused, result ready, returned, withdrawn, stopped. <see cref="Applicant"/> is set
/// only when the citizen is to be told.
/// </summary>
public abstract record DossierStatusChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    string Status,
    Guid ActorId,
    string? Reason,
    DateTimeOffset? DueAt,
    ApplicantContact? Applicant) : IUnitEvent;

/// <summary>Form 02 (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): the clock stops.</summary>
public sealed record DossierSupplementRequested(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>
/// The citizen completed the dossier; every remaining deadline moved by <see cref="WaitedWorkingHours"/>.
/// <see cref="StatutoryDueAt"/> is the moved legal due time, which an apology's new date does not replace.
/// </summary>
public sealed record DossierResubmitted(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant, double WaitedWorkingHours,
    DateTimeOffset? StatutoryDueAt = null)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>Fees or financial obligations (nghĩa vụ tài chính) are due before work goes on.</summary>
public sealed record DossierPaymentRequested(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>Paid: the deadlines moved as for a resubmission; <see cref="StatutoryDueAt"/> as there.</summary>
public sealed record DossierPaymentConfirmed(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant, DateTimeOffset? StatutoryDueAt = null)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>Returned as ineligible, with written reasons.</summary>
public sealed record DossierRejected(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>Form 03 (phiếu từ chối tiếp nhận): an online registration was not received.</summary>
public sealed record DossierRefused(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>
/// The result is ready at the counter (đã xử lý xong, chờ trả kết quả); <see cref="Timeliness"/> against the due time.
/// <see cref="ProcessingWorkingHours"/> is the working time from reception to now, less the time the clock stood
/// waiting for the citizen (supplement, payment).
/// </summary>
public sealed record DossierResolved(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant, string Timeliness,
    double? ProcessingWorkingHours = null)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>The result was handed over (trả kết quả); the citizen is invited to rate the service.</summary>
public sealed record DossierReturned(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant, string Timeliness)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>Withdrawn at the citizen's request (rút hồ sơ).</summary>
public sealed record DossierWithdrawn(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);

/// <summary>Processing stopped (dừng giải quyết, Form 05 under Circular 03/2025).</summary>
public sealed record DossierStopped(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string Code, string ProcedureCode, Guid UnitId, string Status,
    Guid ActorId, string? Reason, DateTimeOffset? DueAt, ApplicantContact? Applicant)
    : DossierStatusChanged(EventId, OccurredAt, DossierId, Code, ProcedureCode, UnitId, Status, ActorId, Reason, DueAt, Applicant);
