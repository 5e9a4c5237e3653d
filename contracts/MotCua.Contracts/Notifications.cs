namespace MotCua.Contracts;

/// <summary>A message reached its channel (SMS gateway, mail server). The recipient is masked.</summary>
public sealed record NotificationDelivered(
    Guid EventId, DateTimeOffset OccurredAt, Guid DeliveryId, string DossierCode, Guid UnitId, string Channel, string Template,
    string RecipientMasked, int Attempts) : IUnitEvent;

/// <summary>A message could not be delivered after every attempt; <see cref="Reason"/> is the last error.</summary>
public sealed record NotificationFailed(
    Guid EventId, DateTimeOffset OccurredAt, Guid DeliveryId, string DossierCode, Guid UnitId, string Channel, string Template,
    string RecipientMasked, int Attempts, string Reason) : IUnitEvent;

/// <summary>A citizen rated a returned dossier (Rất hài lòng / Hài lòng / Bình thường / Không hài lòng).</summary>
public sealed record CitizenRated(
    Guid EventId, DateTimeOffset OccurredAt, Guid DossierId, string DossierCode, Guid UnitId, string Level) : IUnitEvent;
