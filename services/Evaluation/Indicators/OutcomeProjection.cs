using MotCua.Contracts;
using MotCua.ServiceDefaults.Database;
using MotCua.ServiceDefaults.Messaging;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// Keeps <c>dossier_outcomes</c> from the events, through the inbox: a redelivered event changes nothing,
/// and events arriving out of order each fill only their own columns. Each event is also kept in
/// <c>event_log</c>, from which <see cref="Rebuild"/> replays the projection.
/// </summary>
public sealed class OutcomeProjection<TEvent>(NpgsqlDataSource dataSource, TimeProvider time)
    : InboxConsumer<TEvent>(dataSource, time)
    where TEvent : class, IIntegrationEvent
{
    protected override async Task HandleAsync(TEvent message, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO event_log (message_id, type, body, received_at) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (message_id) DO NOTHING
            """, ct, message.EventId, typeof(TEvent).FullName, System.Text.Json.JsonSerializer.Serialize(message, Outcomes.Json), Time.GetUtcNow());
        await Outcomes.ApplyAsync(message, connection, tx, ct);
    }
}

/// <summary>What each event means for a dossier's outcome; the same for live consumption and for replay.</summary>
public static class Outcomes
{
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static Task ApplyAsync(object message, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) => message switch
    {
        // An online registration counts once a counter officer receives it.
        DossierReceived { Status: "received" } e => Upsert(connection, tx, e.DossierId, ct,
            ("code", e.Code), ("unit_id", e.UnitId), ("channel", e.Channel), ("received_at", e.ReceivedAt), ("due_at", e.DueAt)),
        DossierResolved e => Upsert(connection, tx, e.DossierId, ct,
            ("unit_id", e.UnitId), ("resolved_at", e.OccurredAt), ("timeliness", e.Timeliness)),
        DossierReturned e => Upsert(connection, tx, e.DossierId, ct, ("unit_id", e.UnitId), ("returned_at", e.OccurredAt)),
        DossierRejected or DossierWithdrawn or DossierStopped or DossierRefused => Closed((DossierStatusChanged)message, connection, tx, ct),
        DossierOverdue e => Upsert(connection, tx, e.DossierId, ct, ("unit_id", e.UnitId), ("overdue_at", e.OccurredAt)),
        ApologyIssued e => Upsert(connection, tx, e.DossierId, ct, ("unit_id", e.UnitId), ("apologized_at", e.OccurredAt), ("new_due_at", e.NewDueAt)),
        DossierEscalated e => Upsert(connection, tx, e.DossierId, ct, ("unit_id", e.UnitId), ("escalated_at", e.OccurredAt)),
        _ => Task.CompletedTask,
    };

    private static Task Closed(DossierStatusChanged e, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        Upsert(connection, tx, e.DossierId, ct, ("unit_id", e.UnitId), ("closed_at", e.OccurredAt), ("closed_as", e.Status));

    private static Task Upsert(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct, params (string Column, object? Value)[] values)
    {
        var columns = string.Join(", ", values.Select(v => v.Column));
        var parameters = string.Join(", ", values.Select((_, i) => $"${i + 2}"));
        var updates = string.Join(", ", values.Select(v => $"{v.Column} = coalesce(EXCLUDED.{v.Column}, dossier_outcomes.{v.Column})"));
        return connection.ExecuteAsync(tx, $"""
            INSERT INTO dossier_outcomes (dossier_id, {columns}) VALUES ($1, {parameters})
            ON CONFLICT (dossier_id) DO UPDATE SET {updates}
            """, ct, [id, .. values.Select(v => v.Value)]);
    }
}

public static class OutcomeRegistration
{
    public static void AddOutcomeProjections(this MassTransit.IBusRegistrationConfigurator bus)
    {
        Add<DossierReceived>(bus);
        Add<DossierResolved>(bus);
        Add<DossierReturned>(bus);
        Add<DossierRejected>(bus);
        Add<DossierWithdrawn>(bus);
        Add<DossierStopped>(bus);
        Add<DossierRefused>(bus);
        Add<DossierOverdue>(bus);
        Add<ApologyIssued>(bus);
        Add<DossierEscalated>(bus);
    }

    private static void Add<TEvent>(MassTransit.IBusRegistrationConfigurator bus) where TEvent : class, IIntegrationEvent =>
        bus.AddConsumer<OutcomeProjection<TEvent>>().Endpoint(endpoint =>
            endpoint.Name = "evaluation-outcome-" + MassTransit.KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name));
}
