using MassTransit;
using MotCua.Contracts;
using MotCua.Data.Messaging;

namespace MotCua.Notification.Feed;

/// <summary>
/// Feeds a unit's events to this instance's live feed: adding an event to the feed is one line of <see cref="FeedRegistration"/>. Every instance needs every event, so the queue is
/// the instance's own and goes away with it.
/// </summary>
public sealed class FeedConsumer<TEvent>(EventFeed feed) : IConsumer<TEvent> where TEvent : class, IUnitEvent
{
    public Task Consume(ConsumeContext<TEvent> context)
    {
        feed.Publish(context.Message, UnitsOf(context.Message));
        return Task.CompletedTask;
    }

    /// <summary>The receiving unit first, then the units performing the steps the event is about: a land office follows its own steps live.</summary>
    public static IReadOnlyList<Guid> UnitsOf(IUnitEvent message)
    {
        Guid?[] others = message switch
        {
            DossierStepCompleted e => [e.StepUnitId, e.NextStepUnitId],
            DossierStepAssigned e => [e.StepUnitId],
            DossierAtRisk e => [e.StepUnitId],
            DossierOverdue e => [e.ResponsibleUnitId],
            ApologyIssued e => [e.ResponsibleUnitId],
            DossierEscalated e => [e.ResponsibleUnitId],
            _ => [],
        };
        return [.. others.OfType<Guid>().Prepend(message.UnitId).Distinct()];
    }
}

public static class FeedRegistration
{
    public static void AddFeed<TEvent>(this IBusRegistrationConfigurator bus) where TEvent : class, IUnitEvent =>
        bus.AddConsumer<FeedConsumer<TEvent>>().Endpoint(endpoint =>
        {
            endpoint.Name = InstanceQueues.Name($"notification-feed-{KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name)}");
            endpoint.Temporary = true;
        });

    public static void AddFeedConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddFeed<DossierReceived>();
        bus.AddFeed<DossierStepCompleted>();
        bus.AddFeed<DossierStepAssigned>();
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
        // The district sees a citizen it could not reach (an apology that did not arrive is a promise not kept) and each rating.
        bus.AddFeed<NotificationFailed>();
        bus.AddFeed<CitizenRated>();
    }
}
