namespace MotCua.Contracts;

/// <summary>
/// Less than one working day is left, or the step in progress is already past its own deadline: the
/// holder and the leaders of the unit performing the step are warned. Raised once per step. <see cref="UnitId"/> is the
/// receiving unit; <see cref="StepUnitId"/> the unit performing the step (another unit's, liên thông), null for the receiving one.
/// </summary>
public sealed record DossierAtRisk(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    int StepIndex,
    string StepName,
    Guid? HolderId,
    DateTimeOffset StepDueAt,
    DateTimeOffset DueAt,
    string Cause,
    Guid? StepUnitId = null) : IUnitEvent;

/// <summary>The due time passed without a result. Lateness is decided here, once, by the Dossier service's sweeper.</summary>
public sealed record DossierOverdue(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    DateTimeOffset DueAt,
    Guid ResponsibleUnitId,
    string ResponsibleStep,
    Guid? ResponsibleOfficialId) : IUnitEvent;

/// <summary>
/// A numbered apology letter (Form 04, phiếu xin lỗi và hẹn lại ngày trả kết quả) with the one new
/// appointment date; <see cref="Automatic"/> when the platform issued it on its own (in the window a working day before the
/// due time, or at once when the due time passed without one). <see cref="UnitId"/> is the receiving unit;
/// <see cref="IssuedBy"/> the unit at fault in whose name it is issued, <see cref="Signer"/> who signed it (none: the unit
/// has no leader on record), <see cref="InTime"/> whether it went out at least one working day before the due time.
/// </summary>
public sealed record ApologyIssued(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    string? ProcedureName,
    Guid UnitId,
    string Number,
    string Reason,
    Guid ResponsibleUnitId,
    string ResponsibleStep,
    Guid? ResponsibleOfficialId,
    DateTimeOffset PreviousDueAt,
    DateTimeOffset NewDueAt,
    bool Automatic,
    ApplicantContact Applicant,
    Guid? IssuedBy = null,
    ApologySigner? Signer = null,
    bool InTime = true) : IUnitEvent;

/// <summary>The official who signs a letter for the issuing unit: name and title (chức danh) as printed.</summary>
public sealed record ApologySigner(Guid OfficialId, string Name, string? Title);

/// <summary>
/// The platform drafted a dossier's apology for a leader of the unit at fault to sign (the province's policy): the holder of
/// the step and that unit's leaders are warned. <see cref="UnitId"/> is the receiving unit, <see cref="IssuingUnitId"/> the unit at fault.
/// </summary>
public sealed record ApologyDrafted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    string Number,
    Guid IssuingUnitId,
    string ResponsibleStep,
    Guid? ResponsibleOfficialId,
    DateTimeOffset DueAt,
    DateTimeOffset ProposedDueAt) : IUnitEvent;

/// <summary>
/// The dossier missed its extended date too: no second apology; the level above is told and it counts as a serious fault.
/// <see cref="ParentUnitId"/> is the level above the responsible unit (the unit at fault), not above the receiving one.
/// </summary>
public sealed record DossierEscalated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid DossierId,
    string Code,
    string ProcedureCode,
    Guid UnitId,
    Guid? ParentUnitId,
    DateTimeOffset NewDueAt,
    Guid ResponsibleUnitId,
    string ResponsibleStep,
    Guid? ResponsibleOfficialId) : IUnitEvent;
