using MotCua.Contracts;
using MassTransit;
using MotCua.Notification.Templates;
using MotCua.Data.Database;
using MotCua.Data.Messaging;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Notification.Deliveries;

/// <summary>
/// Turns events into queued deliveries, a batch at a time in one inbox transaction: one row per (event, recipient, channel,
/// official), so a redelivered event queues nothing twice and two officials whose numbers mask alike are both told. One transaction per event cost a commit per event, and in a deadline
/// storm those commits were most of Notification's share of the database. The delivery worker sends the rows.
/// </summary>
public sealed partial class Notifier<TEvent>(
    NpgsqlDataSource dataSource, TimeProvider time, TemplateStore templates, QuietHours quiet, ILogger<Notifier<TEvent>> logger)
    : IConsumer<Batch<TEvent>>
    where TEvent : class
{
    private static readonly string[] Columns =
    [
        "id:uuid", "event_id:uuid", "dossier_code:text", "unit_id:uuid", "channel:text", "recipient:text", "recipient_masked:text",
        "template:text", "subject:text", "body:text", "status:text", "attempts:int", "urgent:boolean", "created_at:timestamptz",
        "next_attempt_at:timestamptz", "trace_parent:text", "official_id:uuid",
    ];

    public async Task Consume(ConsumeContext<Batch<TEvent>> context)
    {
        var messages = context.Message.DistinctBy(m => m.MessageId).ToList();
        try
        {
            await QueueAsync(messages, context.CancellationToken);
        }
        catch (Exception e) when (messages.Count > 1 && e is not OperationCanceledException && (e is not NpgsqlException || e is PostgresException))
        {
            // One event that cannot be queued must not hold back the rest: each is tried alone, and the batch still fails,
            // so retries and the error queue see it; the inbox keeps those that went through from being queued twice.
            // A lost database fails every event alike, so it is left to the retries whole.
            LogBatchFailed(logger, e, messages.Count);
            foreach (var message in messages)
            {
                try
                {
                    await QueueAsync([message], context.CancellationToken);
                }
                catch (Exception single) when (single is not OperationCanceledException)
                {
                    LogEventFailed(logger, single, message.MessageId);
                }
            }
            throw;
        }
    }

    private async Task QueueAsync(IReadOnlyList<ConsumeContext<TEvent>> messages, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = messages.Select(m => m.MessageId ?? throw new InvalidOperationException($"{typeof(TEvent).Name} arrived without a MessageId."))
            .ToList();
        // The inbox keeps the name the per-event consumer recorded, so events it handled before an upgrade are still known.
        var fresh = await Inbox.RecordAsync(connection, tx, typeof(Notifier<>).Name, ids, now, ct);
        var rows = new List<object?[]>();
        foreach (var message in messages.Where(m => fresh.Contains(m.MessageId!.Value)))
            await AddRowsAsync(connection, tx, message, now, rows, ct);
        if (rows.Count > 0)
        {
            await using var insert = new NpgsqlBatch(connection, tx)
            {
                BatchCommands = { Sql.BulkInsert("deliveries", Columns, rows, onConflict: "(event_id, recipient_masked, channel, official_id) DO NOTHING") },
            };
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private async Task AddRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, ConsumeContext<TEvent> message, DateTimeOffset now, List<object?[]> rows, CancellationToken ct)
    {
        if (Notices.For(message.Message) is not { } notice) return;
        var sendAt = notice.Urgent ? now : quiet.NextAllowed(now);
        // The send joins the trace of the publish that carried this event, not the batch's.
        var traceParent = message.Headers.Get<string>(MassTransit.Logging.DiagnosticHeaders.DiagnosticId) ?? System.Diagnostics.Activity.Current?.Id;
        foreach (var to in await RecipientsAsync(connection, tx, notice, ct))
        {
            if (await templates.FindAsync(notice.Template, to.Channel, ct) is not { } template) continue;
            var (subject, body) = template.Render(notice.Values);
            rows.Add([Guid.NewGuid(), notice.EventId, notice.DossierCode, notice.UnitId, to.Channel, to.Address, to.Masked, notice.Template,
                subject, body, "pending", 0, notice.Urgent, now, sendAt, traceParent, to.OfficialId]);
        }
    }

    private static async Task<List<Recipient>> RecipientsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Notice notice, CancellationToken ct)
    {
        var recipients = new List<Recipient>();
        if (notice.Citizen?.Phone is { } phone) recipients.Add(new(NotificationChannels.Sms, phone, Masking.Phone(phone)));
        if (notice.Citizen?.Email is { } email) recipients.Add(new(NotificationChannels.Email, email, Masking.Email(email)));
        if (notice.Officials is { } officials) recipients.AddRange(await OfficialRecipients.ResolveAsync(connection, tx, officials, ct));
        return recipients;
    }

    [LoggerMessage(LogLevel.Warning, "A batch of {Count} events could not be queued together; queueing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception e, int count);

    [LoggerMessage(LogLevel.Error, "Event {MessageId} could not be queued for delivery")]
    private static partial void LogEventFailed(ILogger logger, Exception e, Guid? messageId);
}

public static class NotifierRegistration
{
    /// <summary>
    /// One queue per event kind, named for it, so each is watched and dead-lettered on its own. Up to 100 events a batch,
    /// or what arrived within 20 ms: a single event waits at most that long.
    /// </summary>
    public static void AddNotifier<TEvent>(this IBusRegistrationConfigurator bus) where TEvent : class =>
        bus.AddConsumer<Notifier<TEvent>>((_, consumer) => consumer.Options<BatchOptions>(batch =>
                batch.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(20)).SetConcurrencyLimit(2)))
            .Endpoint(endpoint => endpoint.Name = "notification-" + KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name));
}
