using MotCua.Contracts;
using MotCua.Evaluation.Officials;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// Keeps the projections from the events a batch at a time. <c>event_log</c> is the projections' inbox: an event whose
/// id is already logged changes nothing, and events arriving out of order each fill only what they know. One
/// transaction and a handful of set-based statements per batch, rather than per event, is what lets one instance keep
/// up with a province's traffic; <see cref="Rebuild"/> replays the log.
/// </summary>
public sealed class OutcomeProjection<TEvent>(NpgsqlDataSource dataSource, TimeProvider time) : MassTransit.IConsumer<MassTransit.Batch<TEvent>>
    where TEvent : class, IIntegrationEvent
{
    public async Task Consume(MassTransit.ConsumeContext<MassTransit.Batch<TEvent>> context)
    {
        var ct = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Outcomes.LogAndApplyAsync([.. context.Message.Select(m => m.Message)], connection, tx, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>What each event means for the projections; the same for live consumption and for replay.</summary>
public static class Outcomes
{
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>Logs the events not logged before (by event id) and applies those, in their order.</summary>
    public static async Task LogAndApplyAsync(
        IReadOnlyList<IIntegrationEvent> events, NpgsqlConnection connection, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken ct)
    {
        var distinct = events.DistinctBy(e => e.EventId).ToList();
        var logged = (await connection.QueryAsync(tx, """
            INSERT INTO event_log (message_id, type, body, received_at)
            SELECT v.id, v.type, v.body, @receivedAt FROM unnest(@ids::uuid[], @types::text[], @bodies::json[]) AS v(id, type, body)
            ON CONFLICT (message_id) DO NOTHING
            RETURNING message_id
            """, new
        {
            ids = distinct.Select(e => e.EventId).ToArray(), types = distinct.Select(e => e.GetType().FullName!).ToArray(),
            bodies = distinct.Select(WithoutPersonalData).ToArray(), receivedAt = now,
        }, row => row.Get<Guid>("message_id"), ct)).ToHashSet();
        var fresh = distinct.Where(e => logged.Contains(e.EventId)).ToList();
        if (fresh.Count > 0) await ApplyAsync(fresh, connection, tx, ct);
    }

    /// <summary>
    /// An event as the log keeps it: without the citizen's contact (name, phone, e-mail), which no figure needs and which
    /// Evaluation has no business keeping. Replays read the rest.
    /// </summary>
    public static string WithoutPersonalData(IIntegrationEvent e)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(e, e.GetType(), Json)!.AsObject();
        body.Remove("applicant");
        return body.ToJsonString(Json);
    }

    /// <summary>Applies events in their order: dossiers' rows and the unit counters, officials' counters, ratings, feedback.</summary>
    public static async Task ApplyAsync(IReadOnlyList<object> events, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var counters = await DossierOutcome.ApplyAsync(events, connection, tx, ct);
        foreach (var rated in events.OfType<CitizenRated>())
            counters.Add(rated.UnitId, rated.OccurredAt, rated.Level switch
            {
                "very_satisfied" => Counter.RatedVerySatisfied,
                "satisfied" => Counter.RatedSatisfied,
                "neutral" => Counter.RatedNeutral,
                _ => Counter.RatedDissatisfied,
            });
        foreach (var feedback in events.Where(e => e is FeedbackReceived or FeedbackAnswered))
            await FeedbackOutcome.ApplyAsync(feedback, counters, connection, tx, ct);
        await counters.SaveAsync(connection, tx, ct);
        await OfficialCounters.ApplyAsync(events, connection, tx, ct);
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

    /// <summary>Up to 500 events a batch, or what arrived within 50 ms; prefetch follows from the batch size.</summary>
    private static void Add<TEvent>(MassTransit.IBusRegistrationConfigurator bus) where TEvent : class, IIntegrationEvent =>
        bus.AddConsumer<OutcomeProjection<TEvent>>((_, consumer) => consumer.Options<MassTransit.BatchOptions>(batch =>
                batch.SetMessageLimit(500).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(1)))
            .Endpoint(endpoint =>
                endpoint.Name = "evaluation-outcome-" + MassTransit.KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name));
}
