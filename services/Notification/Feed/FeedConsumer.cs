using MassTransit;
using MotCua.Contracts;
using MotCua.Data.Messaging;

namespace MotCua.Notification.Feed;

/// <summary>
/// Feeds dossier events to this instance's live feed. Every instance needs every event, so the queue is
/// the instance's own and goes away with it.
/// </summary>
public sealed class FeedConsumer<TEvent>(EventFeed feed) : IConsumer<TEvent> where TEvent : class, IIntegrationEvent
{
    public Task Consume(ConsumeContext<TEvent> context)
    {
        if (UnitOf(context.Message) is { } unit) feed.Publish(context.Message, unit);
        return Task.CompletedTask;
    }

    private static Guid? UnitOf(TEvent message) => message switch
    {
        DossierReceived e => e.UnitId,
        DossierStepCompleted e => e.UnitId,
        DossierTransferred e => e.UnitId,
        DossierStatusChanged e => e.UnitId,
        DossierAtRisk e => e.UnitId,
        DossierOverdue e => e.UnitId,
        ApologyIssued e => e.UnitId,
        DossierEscalated e => e.UnitId,
        _ => null,
    };
}

public static class FeedRegistration
{
    public static void AddFeed<TEvent>(this IBusRegistrationConfigurator bus) where TEvent : class, IIntegrationEvent =>
        bus.AddConsumer<FeedConsumer<TEvent>>().Endpoint(endpoint =>
        {
            endpoint.Name = InstanceQueues.Name($"notification-feed-{KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name)}");
            endpoint.Temporary = true;
        });

    public static void AddFeedConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddFeed<DossierReceived>();
        bus.AddFeed<DossierStepCompleted>();
        bus.AddFeed<DossierTransferred>();
        bus.AddFeed<DossierSupplementRequested>();
        bus.AddFeed<DossierResubmitted>();
        bus.AddFeed<DossierPaymentRequested>();
        bus.AddFeed<DossierPaymentConfirmed>();
        bus.AddFeed<DossierRefused>();
        bus.AddFeed<DossierRejected>();
        bus.AddFeed<DossierResolved>();
        bus.AddFeed<DossierReturned>();
        bus.AddFeed<DossierWithdrawn>();
        bus.AddFeed<DossierStopped>();
        bus.AddFeed<DossierAtRisk>();
        bus.AddFeed<DossierOverdue>();
        bus.AddFeed<ApologyIssued>();
        bus.AddFeed<DossierEscalated>();
    }
}
