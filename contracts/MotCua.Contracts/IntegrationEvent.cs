namespace MotCua.Contracts;

/// <summary>
/// What every event on the bus carries. Consumers compute from these fields, never from their
/// own clock, so replaying the same events gives the same answers.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An event about one unit's work: the live feed and the unit-scoped consumers route it by <see cref="UnitId"/>.</summary>
public interface IUnitEvent : IIntegrationEvent
{
    Guid UnitId { get; }
}
