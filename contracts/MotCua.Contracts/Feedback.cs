namespace MotCua.Contracts;

/// <summary>
/// A citizen's feedback (phản ánh) or recommendation (kiến nghị) about a unit's handling of procedures, with the
/// date by which the unit must answer.
/// </summary>
public sealed record FeedbackReceived(
    Guid EventId, DateTimeOffset OccurredAt, Guid FeedbackId, string Number, Guid UnitId, string Kind, string? DossierCode,
    DateTimeOffset ReceivedAt, DateTimeOffset AnswerDueAt) : IUnitEvent;

/// <summary>The unit answered; <see cref="Timeliness"/> (early, on_time, late) against the answer's due date.</summary>
public sealed record FeedbackAnswered(
    Guid EventId, DateTimeOffset OccurredAt, Guid FeedbackId, string Number, Guid UnitId, Guid AnsweredBy,
    DateTimeOffset AnswerDueAt, string Timeliness) : IUnitEvent;
