using MotCua.Contracts;

namespace MotCua.Data.Messaging;

/// <summary>Every event of <c>contracts/</c> by its full name, as the outbox and the event logs store it.</summary>
public static class IntegrationEventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByName = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .ToDictionary(t => t.FullName!, StringComparer.Ordinal);
}
