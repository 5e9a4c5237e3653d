using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MotCua.Tests.Support;
using Npgsql;
using RabbitMQ.Client;

namespace MotCua.Reliability;

/// <summary>
/// Every fault the suite injects, one at a time in a shuffled order at random moments, each followed by the wait until
/// the platform says it is ready again. The clock's move (which makes the dossiers taken so far late) comes halfway,
/// so lateness, and its apologies, happen while the faults go on.
/// </summary>
public sealed class Faults(ReliabilityPlatform platform, ChaosScale scale, Random random)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromMinutes(2);

    public List<Fault> Injected { get; } = [];

    /// <summary>The consumer queues that were handed a poison message.</summary>
    public List<string> Poisoned { get; } = [];

    public int Duplicated { get; private set; }

    public DateTimeOffset ClockMovedTo { get; private set; }

    public async Task RunAsync(Action<string> log)
    {
        (string Name, Func<Task<string?>> Inject)[] faults =
        [
            ("restart RabbitMQ", async () => { await LocalInfrastructure.RestartRabbitMqAsync(); return null; }),
            ("restart PostgreSQL", async () => { await LocalInfrastructure.RestartPostgresAsync(); return null; }),
            .. new[] { "dossier", "personnel", "evaluation", "notification", "gateway" }
                .Select(name => ($"SIGKILL {name}", (Func<Task<string?>>)(async () => { await platform.KillAndRestartAsync(name); return null; }))),
            ("re-publish delivered events", DuplicateAsync),
            ("poison every consumer", PoisonAsync),
        ];
        var order = faults.OrderBy(_ => random.Next()).ToList();
        // Halfway, so about half the run's dossiers fall due and the rest are taken on the far side of the move.
        order.Insert(order.Count / 2, ("move the clock a week on, or past every due time", MoveClockAsync));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < order.Count; i++)
        {
            // A random moment within each slot of the schedule.
            var at = scale.FaultGap * (i + 0.5 + random.NextDouble() * 0.5);
            if (at > clock.Elapsed) await Task.Delay(at - clock.Elapsed);
            var (name, inject) = order[i];
            var injected = DateTimeOffset.UtcNow;
            log($"{clock.Elapsed.TotalSeconds,6:F1} s  {name} …");
            var detail = await inject();
            await Eventually.True(async () =>
            {
                using var response = await platform.Client.GetAsync(new Uri(platform.Gateway, "/health/ready"));
                return response.IsSuccessStatusCode;
            }, Recovery, $"the platform ready again after '{name}'");
            var fault = new Fault(name, injected, DateTimeOffset.UtcNow, detail);
            Injected.Add(fault);
            log($"{clock.Elapsed.TotalSeconds,6:F1} s  … ready again after {(fault.Recovered - fault.Injected).TotalSeconds:F1} s{(detail is null ? "" : $" ({detail})")}");
        }
    }

    /// <summary>A slice of the Dossier outbox's sent events is marked unsent, so the relay publishes them again with their old ids.</summary>
    private async Task<string?> DuplicateAsync()
    {
        await using var dossier = NpgsqlDataSource.Create(platform.DatabaseOf("dossier"));
        await using var command = dossier.CreateCommand("""
            UPDATE outbox SET sent_at = NULL
            WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NOT NULL ORDER BY random() LIMIT $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = scale.Duplicates });
        Duplicated += await command.ExecuteNonQueryAsync();
        await using var notify = dossier.CreateCommand("NOTIFY motcua_outbox");
        await notify.ExecuteNonQueryAsync();
        return $"{Duplicated} events";
    }

    /// <summary>A message no consumer can read, straight into every service's queue (the instances' own live-feed queues aside).</summary>
    private async Task<string?> PoisonAsync()
    {
        using var api = TestInfrastructure.RabbitMqApiClient();
        var queues = (await api.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}?columns=name")).EnumerateArray()
            .Select(q => q.GetProperty("name").GetString()!)
            .Where(name => !name.EndsWith("_error", StringComparison.Ordinal) && !name.EndsWith("_skipped", StringComparison.Ordinal)
                && !name.StartsWith("notification-feed-", StringComparison.Ordinal))
            .ToList();
        await using var broker = await new ConnectionFactory { Uri = new Uri(platform.AmqpUri) }.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var queue in queues)
            await channel.BasicPublishAsync("", queue, true,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() },
                Encoding.UTF8.GetBytes("{ this is not an event"));
        Poisoned.AddRange(queues);
        return $"{queues.Count} queues";
    }

    /// <summary>
    /// A week on, or past the latest due time if that is later (a week from Tết's eve is still inside the holidays): every
    /// dossier taken so far and not yet returned falls due under the running load.
    /// </summary>
    private async Task<string?> MoveClockAsync()
    {
        var token = await platform.TokenAsync();
        var (_, now) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/clock", token));
        await using var dossiers = NpgsqlDataSource.Create(platform.DatabaseOf("dossier"));
        await using var latest = dossiers.CreateCommand("SELECT max(due_at) FROM dossiers");
        var weekOn = now.GetProperty("now").GetDateTimeOffset().AddDays(7);
        ClockMovedTo = await latest.ExecuteScalarAsync() is DateTime due && new DateTimeOffset(due, TimeSpan.Zero).AddMinutes(1) > weekOn
            ? new DateTimeOffset(due, TimeSpan.Zero).AddMinutes(1)
            : weekOn;
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", token, new { advanceTo = ClockMovedTo }));
        if (status != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"The clock did not move: {status} {body}");
        return $"to {ClockMovedTo:yyyy-MM-dd HH:mm}";
    }
}
