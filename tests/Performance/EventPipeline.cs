using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace MotCua.Performance;

/// <summary>
/// At a fixed intake rate through the gateway, how long from the intake's commit until the dossier is counted by
/// Evaluation (its event logged with the counters, one transaction) and its text is in Notification's delivery log,
/// read from the three services' own timestamps (one clock, so the load generator's own delays do not count); the
/// backlog (outbox rows and queued messages) is sampled every second to show whether it grows.
/// </summary>
public static class EventPipeline
{
    private const double Rate = 500;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(SuiteReport report, Intakes intakes)
    {
        var gateway = new Uri(Environment.GetEnvironmentVariable("MOTCUA_GATEWAY") ?? "http://127.0.0.1:8080/");
        var created = new ConcurrentDictionary<string, bool>();
        var backlog = new List<(double Seconds, long Outbox, long Queued)>();
        using var sampling = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var (outbox, queued) = await Drain.SampleAsync();
                lock (backlog) backlog.Add((watch.Elapsed.TotalSeconds, outbox, queued));
                await Task.Delay(1000, CancellationToken.None);
            }
        });
        using var http = intakes.Client(gateway, 256);
        var load = await Load.OpenLoopAsync(Rate, Duration, async i =>
        {
            var (status, code) = await intakes.TakeAsync(http, 70_000_000 + i);
            if (code is not null) created[code] = true;
            return status;
        });
        var loadEnded = watch.Elapsed.TotalSeconds;

        var codes = created.Keys.ToArray();
        var committed = await ArrivalsAsync("dossier", "SELECT code, received_at FROM dossiers WHERE code = ANY($1)", codes);
        var counted = await ArrivalsAsync("evaluation", """
            SELECT body->>'code', received_at FROM event_log WHERE type = 'MotCua.Contracts.DossierReceived' AND body->>'code' = ANY($1)
            """, codes);
        var logged = await ArrivalsAsync("notification", """
            SELECT dossier_code, created_at FROM deliveries WHERE template = 'dossier-received' AND channel = 'sms' AND dossier_code = ANY($1)
            """, codes);
        await Drain.WaitAsync(report, "after the event pipeline");
        sampling.Cancel();
        await sampler;

        double[] Latencies(Dictionary<string, DateTime> arrivals) =>
            [.. arrivals.Where(a => committed.ContainsKey(a.Key)).Select(a => (a.Value - committed[a.Key]).TotalMilliseconds).Order()];
        var toEvaluation = Latencies(counted);
        var toNotification = Latencies(logged);
        double At(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];

        var duringLoad = backlog.Where(b => b.Seconds <= loadEnded).ToList();
        var peak = duringLoad.Count == 0 ? 0 : duringLoad.Max(b => b.Outbox + b.Queued);
        var lastThird = duringLoad.Skip(duringLoad.Count * 2 / 3).ToList();
        var firstThird = duringLoad.Take(Math.Max(1, duringLoad.Count / 3)).ToList();
        var growing = lastThird.Count > 0 && lastThird.Average(b => b.Outbox + b.Queued) > 2 * Math.Max(50, firstThird.Average(b => b.Outbox + b.Queued));

        report.Add(new("pipeline", $"intake committed → notification row, p99 at {Rate:N0} dossiers/s offered", At(toNotification, 0.99), "ms", "≤ 1,000 ms",
            At(toNotification, 0.99) <= 1000 && toNotification.Length == codes.Length, null,
            $"p50 {At(toNotification, 0.5):F0} ms; {toNotification.Length:N0} of {codes.Length:N0} arrived"));
        report.Add(new("pipeline", $"intake committed → counted by Evaluation, p99 at {Rate:N0} dossiers/s offered", At(toEvaluation, 0.99), "ms", null, null, null,
            $"p50 {At(toEvaluation, 0.5):F0} ms; {toEvaluation.Length:N0} of {codes.Length:N0} arrived"));
        report.Add(new("pipeline", "largest backlog during the load (outbox rows + queued messages)", peak, "", "not growing", !growing, null,
            $"intake {load.PerSecond:F0}/s achieved, {load.Failed} failed"));
        report.Details["pipeline"] = new { backlog = backlog.Select(b => new { seconds = b.Seconds, outbox = b.Outbox, queued = b.Queued }), loadEndedAtSeconds = loadEnded, intakePerSecond = load.PerSecond, load.Failed };
    }

    /// <summary>When each dossier's row appeared in a service's database, waiting up to two minutes for all of them.</summary>
    private static async Task<Dictionary<string, DateTime>> ArrivalsAsync(string service, string sql, string[] codes)
    {
        await using var dataSource = NpgsqlDataSource.Create(BenchPlatform.Database(service));
        var arrivals = new Dictionary<string, DateTime>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            arrivals.Clear();
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = codes });
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) arrivals.TryAdd(reader.GetString(0), reader.GetDateTime(1));
            if (arrivals.Count >= codes.Length) break;
            await Task.Delay(500);
        }
        return arrivals;
    }
}
