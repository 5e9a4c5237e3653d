using System.Diagnostics;
using Microsoft.Extensions.Options;
using MotCua.Contracts;
using MotCua.Notification.Channels;
using MotCua.Hosting;
using MotCua.Data;
using MotCua.Data.Database;
using MotCua.Data.Messaging;
using Npgsql;

namespace MotCua.Notification.Deliveries;

public sealed class DeliveryOptions
{
    public int BatchSize { get; set; } = 100;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits before the 2nd, 3rd, … attempt, comma-separated; one more failure than there are waits marks the
    /// delivery failed.
    /// </summary>
    public string RetrySchedule { get; set; } = "00:01:00,00:05:00,00:15:00,01:00:00";

    public TimeSpan[] RetryDelays => [.. RetrySchedule.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(d => TimeSpan.Parse(d, System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>
/// Sends queued deliveries whose time has come, in batches taken with <c>FOR UPDATE SKIP LOCKED</c> so
/// instances share the work. A failed send is retried later from the log on the configured schedule (the
/// message itself is not held), then marked failed with the reason and <see cref="NotificationFailed"/>
/// announced; a provider's permanent refusal is marked failed at once, with its answer. A message held back because the
/// channel's circuit is open was not tried and keeps its attempts for when the provider is back. Once a delivery is done its clear recipient is erased; only the masked one stays.
/// </summary>
public sealed partial class DeliveryWorker(
    NpgsqlDataSource dataSource, ChannelPipelines channels, TimeProvider time, DatabaseState database, IOptions<DeliveryOptions> options,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private static readonly ActivitySource Tracing = new("MotCua.Deliveries");

    private sealed record Due(Guid Id, string DossierCode, Guid UnitId, string Channel, string? Recipient, string Masked, string Template,
        string? Subject, string Body, int Attempts, string? TraceParent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Migrated.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendBatchAsync(stoppingToken) == options.Value.BatchSize) { }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogBatchFailed(logger, e);
            }
            await Task.Delay(options.Value.Interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task<int> SendBatchAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = await connection.QueryAsync(tx, """
            SELECT id, dossier_code, unit_id, channel, recipient, recipient_masked, template, subject, body, attempts, trace_parent
            FROM deliveries WHERE status = 'pending' AND next_attempt_at <= @now
            ORDER BY next_attempt_at LIMIT @batchSize FOR UPDATE SKIP LOCKED
            """, new { now, batchSize = options.Value.BatchSize }, row => new Due(row.Get<Guid>("id"), row.Get<string>("dossier_code"),
            row.Get<Guid>("unit_id"), row.Get<string>("channel"), row.Get<string?>("recipient"), row.Get<string>("recipient_masked"),
            row.Get<string>("template"), row.Get<string?>("subject"), row.Get<string>("body"), row.Get<int>("attempts"),
            row.Get<string?>("trace_parent")), ct);
        if (due.Count == 0) return 0;

        var outcomes = await Task.WhenAll(due.Select(async d =>
        {
            // The send continues the trace of the event that asked for it.
            ActivityContext.TryParse(d.TraceParent, null, out var parent);
            using var activity = Tracing.StartActivity("deliver " + d.Channel, ActivityKind.Client, parent);
            activity?.SetTag(Telemetry.DossierCodeTag, d.DossierCode);
            activity?.SetTag("motcua.notification.template", d.Template);
            try
            {
                await channels.SendAsync(d.Channel, new OutgoingMessage(d.Id, d.Recipient ?? d.Masked, d.Masked, d.Subject, d.Body, d.DossierCode), ct);
                return (Delivery: d, Outcome: Outcome.Sent, Error: (string?)null, Wait: TimeSpan.Zero);
            }
            catch (PermanentRefusal refused)
            {
                activity?.SetStatus(ActivityStatusCode.Error, refused.Message);
                return (Delivery: d, Outcome: Outcome.Refused, Error: Reason(refused), Wait: TimeSpan.Zero);
            }
            catch (ChannelResting resting)
            {
                activity?.SetStatus(ActivityStatusCode.Error, resting.Message);
                return (Delivery: d, Outcome: Outcome.NotTried, Error: Reason(resting), Wait: resting.RetryAfter);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                return (Delivery: d, Outcome: Outcome.Failed, Error: Reason(e), Wait: TimeSpan.Zero);
            }
        }));

        var sentAt = time.GetUtcNow();
        var delays = options.Value.RetryDelays;
        // Every outcome in one UPDATE and every announcement in one INSERT: a statement per delivery was a round trip per
        // text in a storm of them.
        var updates = new List<object?[]>();
        var announcements = new List<IIntegrationEvent>();
        foreach (var (d, outcome, error, wait) in outcomes)
        {
            var attempts = d.Attempts + 1;
            if (outcome == Outcome.NotTried)
            {
                updates.Add([d.Id, "pending", null, error, sentAt + wait, 0]);
            }
            else if (outcome == Outcome.Sent)
            {
                // Nothing consumes a per-text success, and in a storm it doubled what the relay carried: the delivery log says it.
                updates.Add([d.Id, "sent", sentAt, null, null, 1]);
            }
            else if (outcome == Outcome.Refused || attempts > delays.Length)
            {
                var reason = error ?? "";
                updates.Add([d.Id, "failed", null, reason, null, 1]);
                announcements.Add(new NotificationFailed(Guid.NewGuid(), sentAt, d.Id, d.DossierCode, d.UnitId, d.Channel, d.Template, d.Masked,
                    attempts, reason));
                LogGaveUp(logger, d.Channel, d.DossierCode, attempts, reason);
            }
            else
            {
                updates.Add([d.Id, "pending", null, error, sentAt + delays[attempts - 1], 1]);
            }
        }
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Sql.BatchCommand("""
            UPDATE deliveries d SET status = v.status, attempts = d.attempts + v.tried::int, sent_at = v.sent_at::timestamptz, last_error = v.last_error,
                                    next_attempt_at = coalesce(v.next_attempt_at::timestamptz, d.next_attempt_at),
                                    recipient = CASE WHEN v.status = 'pending' THEN d.recipient END
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, status, sent_at, last_error, next_attempt_at, tried)
            WHERE d.id = v.id::uuid
            """, [.. Enumerable.Range(0, 6).Select(i => Sql.TextColumn(updates, i))]));
        if (announcements.Count > 0)
        {
            batch.BatchCommands.Add(Outbox.Commands(announcements));
            batch.BatchCommands.Add(Outbox.Notify());
        }
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return due.Count;
    }

    private enum Outcome { Sent, Refused, Failed, NotTried }

    /// <summary>
    /// Why a send failed, as the delivery log, <see cref="NotificationFailed"/> and the live feed carry it: a provider's
    /// answer often repeats the citizen's address or number, which none of those may show.
    /// </summary>
    private static string Reason(Exception e) => PersonalDataRedaction.Redact(e.Message);

    [LoggerMessage(LogLevel.Warning, "Delivery batch failed; trying again")]
    private static partial void LogBatchFailed(ILogger logger, Exception e);

    [LoggerMessage(LogLevel.Warning, "Gave up on a {Channel} message about {Code} after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string channel, string code, int attempts, string error);
}
