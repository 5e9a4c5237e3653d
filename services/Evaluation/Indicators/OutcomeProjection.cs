using MotCua.Contracts;
using MotCua.Evaluation.Officials;
using MotCua.ServiceDefaults.Database;
using MotCua.ServiceDefaults.Messaging;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// Keeps the projections from the events, through the inbox: a redelivered event changes nothing, and events
/// arriving out of order each fill only what they know. Each event is also kept in <c>event_log</c>, from which
/// <see cref="Rebuild"/> replays the projections.
/// </summary>
public sealed class OutcomeProjection<TEvent>(NpgsqlDataSource dataSource, TimeProvider time)
    : InboxConsumer<TEvent>(dataSource, time)
    where TEvent : class, IIntegrationEvent
{
    protected override Task HandleAsync(TEvent message, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        Outcomes.LogAndApplyAsync(message, connection, tx, Time.GetUtcNow(), ct);
}

/// <summary>What each event means for the projections; the same for live consumption and for replay.</summary>
public static class Outcomes
{
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static async Task LogAndApplyAsync(
        IIntegrationEvent message, NpgsqlConnection connection, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO event_log (message_id, type, body, received_at) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (message_id) DO NOTHING
            """, ct, message.EventId, message.GetType().FullName, System.Text.Json.JsonSerializer.Serialize(message, message.GetType(), Json), now);
        await ApplyAsync(message, connection, tx, ct);
    }

    public static async Task ApplyAsync(object message, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (DossierOutcome.DossierOf(message) is { } dossier) await DossierOutcome.ApplyAsync(dossier, message, connection, tx, ct);
        switch (message)
        {
            case DossierStepCompleted or ApologyIssued or DossierEscalated:
                await OfficialCounters.ApplyAsync(message, connection, tx, ct);
                break;
            case CitizenRated rated:
                await new UnitCounters().Add(rated.UnitId, rated.OccurredAt, rated.Level switch
                {
                    "very_satisfied" => Counter.RatedVerySatisfied,
                    "satisfied" => Counter.RatedSatisfied,
                    "neutral" => Counter.RatedNeutral,
                    _ => Counter.RatedDissatisfied,
                }).SaveAsync(connection, tx, ct);
                break;
            case FeedbackReceived or FeedbackAnswered:
                await FeedbackOutcome.ApplyAsync(message, connection, tx, ct);
                break;
        }
    }
}

public static class OutcomeRegistration
{
    /// <summary>A queue per event the projections are made of.</summary>
    public static void AddOutcomeProjections(this MassTransit.IBusRegistrationConfigurator bus)
    {
        Add<DossierReceived>(bus);
        Add<DossierResubmitted>(bus);
        Add<DossierPaymentConfirmed>(bus);
        Add<DossierResolved>(bus);
        Add<DossierReturned>(bus);
        Add<DossierRejected>(bus);
        Add<DossierWithdrawn>(bus);
        Add<DossierStopped>(bus);
        Add<DossierRefused>(bus);
        Add<DossierOverdue>(bus);
        Add<ApologyIssued>(bus);
        Add<DossierEscalated>(bus);
        Add<DossierStepCompleted>(bus);
        Add<FeedbackReceived>(bus);
        Add<FeedbackAnswered>(bus);
    }

    private static void Add<TEvent>(MassTransit.IBusRegistrationConfigurator bus) where TEvent : class, IIntegrationEvent =>
        bus.AddConsumer<OutcomeProjection<TEvent>>().Endpoint(endpoint =>
            endpoint.Name = "evaluation-outcome-" + MassTransit.KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name));
}
