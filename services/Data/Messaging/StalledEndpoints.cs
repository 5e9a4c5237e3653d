using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MotCua.Data.Messaging;

public sealed class StalledEndpointOptions
{
    /// <summary>How long a queue may wait with messages and no consumer while its endpoint claims to consume it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Stops the process when a receive endpoint stalls. A broker that closes the connection while a batch is being
/// acknowledged can leave endpoints that never hear that their channels closed: they neither reconnect nor report
/// unhealthy, and their queues grow. Seen with MassTransit 8.4 on RabbitMQ.Client 7.1 and again with 8.5.12 on 7.2.2
/// (the chaos suite's seed 1723636513: three of Evaluation's batch endpoints silent, 2,337 messages waiting; MassTransit
/// issues 5692 and 5705 describe the same), and a stalled endpoint cannot be restarted on its own. So a probe connection
/// of its own asks the broker, every <c>RabbitMq:Stall:CheckInterval</c>, about each queue whose endpoint claims to
/// consume; one that keeps messages waiting with no consumer for <c>RabbitMq:Stall:Timeout</c> stops the process with exit
/// code 1, for its supervisor (compose's restart policy, Kubernetes) to start it fresh. What it held unacknowledged goes
/// back to its queue, and the inboxes make the second delivery harmless.
/// </summary>
public sealed partial class StalledEndpoints(
    IConfiguration configuration,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IOptions<StalledEndpointOptions> options,
    ILogger<StalledEndpoints> logger) : BackgroundService, IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<Uri, bool> _claimsReady = new();
    private IConnection? _probe;
    private IChannel? _channel;

    public Task Ready(ReceiveEndpointReady ready) => Claim(ready.InputAddress, true);

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Claim(completed.InputAddress, false);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Claim(faulted.InputAddress, false);

    private Task Claim(Uri endpoint, bool ready)
    {
        // The bus's own temporary endpoint is for responses, which the platform does not use.
        if (!endpoint.Query.Contains("temporary=true", StringComparison.Ordinal)) _claimsReady[endpoint] = ready;
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tracker = new StallTracker(options.Value.Timeout, time.TimestampFrequency);
        // Timestamps, not the wall clock: the simulated clock jumps, its timestamps do not.
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var queues = await AskBrokerAsync(stoppingToken);
            var stalled = tracker.Observe(queues, time.GetTimestamp());
            if (stalled.Count == 0) continue;
            LogStalled(logger, options.Value.Timeout.TotalSeconds, string.Join(", ", stalled));
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
    }

    /// <summary>What the broker says of each queue whose endpoint claims to consume; nothing while the broker is away.</summary>
    private async Task<Dictionary<string, QueueState>> AskBrokerAsync(CancellationToken ct)
    {
        var queues = new Dictionary<string, QueueState>();
        try
        {
            if (_probe is not { IsOpen: true })
            {
                if (_channel is not null) await _channel.DisposeAsync();
                _channel = null;
                if (_probe is not null) await _probe.DisposeAsync();
                _probe = await new ConnectionFactory
                {
                    Uri = new Uri(configuration["RabbitMq:Uri"]!),
                    AutomaticRecoveryEnabled = false,
                    ClientProvidedName = "stalled-endpoint probe",
                }.CreateConnectionAsync(ct);
            }
            foreach (var (endpoint, ready) in _claimsReady)
            {
                if (!ready) continue;
                var queue = endpoint.Segments[^1];
                if (_channel is not { IsOpen: true })
                {
                    if (_channel is not null) await _channel.DisposeAsync();
                    _channel = await _probe.CreateChannelAsync(cancellationToken: ct);
                }
                try
                {
                    var declared = await _channel.QueueDeclarePassiveAsync(queue, ct);
                    queues[queue] = new QueueState(declared.MessageCount, declared.ConsumerCount);
                }
                catch (OperationInterruptedException)
                {
                    // Not there (yet): MassTransit declares it when the endpoint starts. The broker closed the channel
                    // over it, and the next queue gets a new one.
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The broker is away: the endpoints are reconnecting, nothing to judge.
            queues.Clear();
        }
        return queues;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_channel is not null) await _channel.DisposeAsync();
        if (_probe is not null) await _probe.DisposeAsync();
    }

    [LoggerMessage(LogLevel.Critical,
        "Receive endpoints stalled: messages have waited {Seconds} s with no consumer while the endpoint claims to consume; stopping for a fresh start: {Queues}")]
    private static partial void LogStalled(ILogger logger, double seconds, string queues);
}

/// <summary>What the broker says of a queue: messages ready for delivery, and consumers attached.</summary>
public readonly record struct QueueState(uint Messages, uint Consumers);

/// <summary>Which queues have kept messages waiting with no consumer, while their endpoint claims to consume, for the timeout.</summary>
public sealed class StallTracker(TimeSpan timeout, long frequency)
{
    private readonly Dictionary<string, long> _since = [];

    /// <param name="queues">One check's answers; a queue missing from them is not judged (its endpoint is reconnecting).</param>
    public IReadOnlyList<string> Observe(IReadOnlyDictionary<string, QueueState> queues, long now)
    {
        foreach (var queue in _since.Keys.Where(q => queues.GetValueOrDefault(q) is not { Consumers: 0, Messages: > 0 }).ToList())
            _since.Remove(queue);
        foreach (var (queue, state) in queues)
            if (state is { Consumers: 0, Messages: > 0 }) _since.TryAdd(queue, now);
        var limit = (long)(timeout.TotalSeconds * frequency);
        return [.. _since.Where(s => now - s.Value >= limit).Select(s => s.Key).Order(StringComparer.Ordinal)];
    }
}
