using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MotCua.Contracts;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Data.Messaging;

public sealed class OutboxOptions
{
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Batches in flight at once. A batch waits on the broker's confirms far longer than on the CPU, so one publisher at a
    /// time left the outbox draining at a few hundred events a second while a deadline storm wrote thousands.
    /// </summary>
    public int Publishers { get; set; } = 4;

    /// <summary>The fallback when a NOTIFY is missed (listener reconnecting, another instance's commit).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a batch may wait for the broker's confirms. A connection lost mid-publish can leave a publish that never
    /// completes; without a bound the relay waited on it for ever while the outbox grew (the chaos suite found it when
    /// RabbitMQ restarted). Cut short, the batch rolls back and is published again.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Publishes committed outbox rows with publisher confirms and marks them sent in the same
/// transaction that locked them (<c>FOR UPDATE SKIP LOCKED</c>), so several publishers and instances share the
/// work and a relay killed after publishing but before commit publishes again with the same
/// MessageId — which the consumers' inbox absorbs. Nothing committed is lost.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBusControl bus,
    DatabaseState database,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly ActivitySource Tracing = new("MotCua.Outbox");

    private readonly SemaphoreSlim[] _wakes = [.. Enumerable.Range(0, Math.Max(1, options.Value.Publishers)).Select(_ => new SemaphoreSlim(0))];
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Migrated.WaitAsync(stoppingToken);
        // Publishing before this process's own queues are bound would drop the events it consumes itself.
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
        _ = ListenAsync(stoppingToken);
        await Task.WhenAll(_wakes.Select((wake, index) => RunPublisherAsync(wake, purges: index == 0, stoppingToken)));
    }

    /// <summary>One publisher: batch after batch while they come full, then a nap until a NOTIFY or the poll interval.</summary>
    private async Task RunPublisherAsync(SemaphoreSlim wake, bool purges, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                failures = 0;
                if (published == options.Value.BatchSize) continue;
                if (purges) await PurgeSentAsync(stoppingToken);
                await wake.WaitAsync(options.Value.PollInterval, stoppingToken);
                while (wake.CurrentCount > 0) await wake.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                LogPublishFailed(logger, e, failures);
                var backoff = TimeSpan.FromMilliseconds(Math.Min(15_000, 250 * Math.Pow(2, Math.Min(failures, 6))));
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void WakeAll()
    {
        foreach (var wake in _wakes) wake.Release();
    }

    /// <summary>Publishes one batch; returns how many rows it sent.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = new List<(long Id, Guid MessageId, string Type, string Body, string? TraceParent)>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, message_id, message_type, body::text, trace_parent FROM outbox
            WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
            """, connection, tx))
        {
            select.Parameters.AddWithValue(options.Value.BatchSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        if (rows.Count == 0) return 0;

        // A publish cut off by the broker going away can hang without heeding its token: the batch stops waiting for it.
        await Task.WhenAll(rows.Select(row => PublishAsync(row.MessageId, row.Type, row.Body, row.TraceParent, ct)))
            .WaitAsync(options.Value.PublishTimeout, ct);

        await using (var mark = new NpgsqlCommand(
            "UPDATE outbox SET sent_at = $1 WHERE id = ANY($2)", connection, tx))
        {
            mark.Parameters.AddWithValue(TimeProvider.System.GetUtcNow().UtcDateTime);
            mark.Parameters.AddWithValue(rows.Select(r => r.Id).ToArray());
            await mark.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private async Task PublishAsync(Guid messageId, string typeName, string body, string? traceParent, CancellationToken ct)
    {
        if (!IntegrationEventTypes.ByName.TryGetValue(typeName, out var type))
            throw new InvalidOperationException($"Outbox row {messageId} has unknown event type {typeName}.");
        var message = JsonSerializer.Deserialize(body, type, Outbox.Json)!;
        // The publish joins the trace of the request that wrote the row, so one trace runs from the
        // counter through the bus to the consumers.
        ActivityContext.TryParse(traceParent, null, out var parent);
        using var activity = Tracing.StartActivity("outbox publish " + type.Name, ActivityKind.Producer, parent);
        await bus.Publish(message, type, context => context.MessageId = messageId, ct);
    }

    /// <summary>
    /// Keeping sent rows is an operational matter, measured in real time: a simulated clock jumping ahead in a
    /// demo must not empty the outbox an operator may still want to inspect.
    /// </summary>
    private async Task PurgeSentAsync(CancellationToken ct)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (now - _lastPurge < TimeSpan.FromHours(1)) return;
        _lastPurge = now;
        await using var purge = dataSource.CreateCommand("DELETE FROM outbox WHERE sent_at < $1");
        purge.Parameters.AddWithValue((now - options.Value.SentRetention).UtcDateTime);
        await purge.ExecuteNonQueryAsync(ct);
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => WakeAll();
                await using (var listen = new NpgsqlCommand($"LISTEN {Outbox.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                WakeAll();
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(logger, e);
                await Task.Delay(options.Value.PollInterval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Outbox publish failed ({Failures} in a row); rows stay pending")]
    private static partial void LogPublishFailed(ILogger logger, Exception e, int failures);

    [LoggerMessage(LogLevel.Warning, "Outbox listener lost its connection; polling until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception e);
}
