using System.Globalization;

namespace MotCua.Performance;

/// <summary>
/// <c>POST /api/dossiers</c> at rising concurrency until throughput stops growing (two steps in a row gain under 5%),
/// through the gateway and then straight to the Dossier service (the gateway's overhead is the ratio of the two), then at
/// a fixed 1,000 a second through the gateway for its latency. The CPU each process used at the gateway's best step says what limits it.
/// </summary>
public static class IntakeLoad
{
    private static readonly int[] Concurrencies = [4, 8, 16, 32, 64, 128];
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(8);

    public static async Task RunAsync(SuiteReport report, Intakes intakes, Baselines.Result baseline)
    {
        var gateway = new Uri(Environment.GetEnvironmentVariable("MOTCUA_GATEWAY") ?? "http://127.0.0.1:8080/");
        var dossier = new Uri(Environment.GetEnvironmentVariable("MOTCUA_DOSSIER_URL") ?? "http://127.0.0.1:5101/");
        await StatementProfile.ResetAsync();
        var viaGateway = await RampAsync("gateway", gateway, intakes, report);
        await Drain.WaitAsync(report, "after the gateway ramp");
        var byDatabase = await StatementProfile.ByDatabaseAsync();
        var statements = await StatementProfile.TopAsync(12);
        var direct = await RampAsync("direct", dossier, intakes, report);
        await Drain.WaitAsync(report, "after the direct ramp");

        report.Add(new("intake", "through the gateway, best sustained", viaGateway.Best.PerSecond, "dossiers/s", "≥ 1,500/s", viaGateway.Best.PerSecond >= 1500,
            $"{viaGateway.Best.PerSecond / baseline.InsertsPerSecond:F3} × insert baseline (target ≥ 0.15)",
            $"{viaGateway.Best.Concurrency} callers, p50 {viaGateway.Best.Percentile(0.5):F0} / p95 {viaGateway.Best.Percentile(0.95):F0} / p99 {viaGateway.Best.Percentile(0.99):F0} ms"));
        report.Add(new("intake", "straight to the Dossier service, best sustained", direct.Best.PerSecond, "dossiers/s", null, null, null,
            $"{direct.Best.Concurrency} callers, p50 {direct.Best.Percentile(0.5):F0} / p99 {direct.Best.Percentile(0.99):F0} ms"));
        var overhead = viaGateway.Best.PerSecond / direct.Best.PerSecond;
        report.Add(new("intake", "gateway throughput / direct throughput", overhead, "", "≥ 0.8", overhead >= 0.8, null, null));
        report.Add(new("intake", "busiest processes at the gateway's best step", viaGateway.Busy.Take(5).Sum(b => b.Cores), "cores",
            null, null, null, string.Join(", ", viaGateway.Busy.Take(5).Select(b => $"{b.Process} {b.Cores:F2}"))));
        var dbTotal = byDatabase.Values.Sum();
        report.Add(new("intake", "PostgreSQL statement time over the gateway ramp, by service database", dbTotal / 1000, "s", null, null, null,
            string.Join(", ", byDatabase.OrderByDescending(d => d.Value).Take(5).Select(d => $"{d.Key} {100 * d.Value / dbTotal:F0}%"))));

        using var http = intakes.Client(gateway, 256);
        var fixedRate = await Load.OpenLoopAsync(1000, TimeSpan.FromSeconds(10), async i => (await intakes.TakeAsync(http, 50_000_000 + i)).Status);
        report.Add(new("intake", "p99 at a fixed 1,000 dossiers/s through the gateway", fixedRate.Percentile(0.99), "ms", "≤ 100 ms",
            fixedRate.Percentile(0.99) <= 100 && fixedRate.Failed == 0, null,
            $"{fixedRate.Succeeded:N0} taken in {fixedRate.Seconds:F1} s, {fixedRate.Failed} failed, p50 {fixedRate.Percentile(0.5):F0} ms"));
        report.Details["intake"] = new
        {
            gateway = viaGateway.Steps.Select(Summary), direct = direct.Steps.Select(Summary), gatewayBusy = viaGateway.Busy.Select(b => new { process = b.Process, cores = b.Cores }),
            statementsByDatabaseMs = byDatabase, topStatements = statements,
            fixedRate = Summary(fixedRate),
        };
        await Drain.WaitAsync(report, "after the fixed rate");
    }

    private sealed record Ramp(List<LoadResult> Steps, LoadResult Best, List<(string Process, double Cores)> Busy);

    private static async Task<Ramp> RampAsync(string name, Uri address, Intakes intakes, SuiteReport report)
    {
        var steps = new List<LoadResult>();
        LoadResult? best = null;
        List<(string, double)> busyAtBest = [];
        var offset = name == "gateway" ? 0 : 20_000_000;
        var flat = 0;
        foreach (var concurrency in Concurrencies)
        {
            using var http = intakes.Client(address, concurrency);
            // Listed afresh each time: PostgreSQL starts a process for every new connection.
            var before = ProcessSampler.CpuSeconds(ProcessSampler.Processes());
            var step = await Load.ClosedLoopAsync(concurrency, Step, async i => (await intakes.TakeAsync(http, offset + concurrency * 100_000 + i)).Status);
            var busy = ProcessSampler.Busy(before, ProcessSampler.CpuSeconds(ProcessSampler.Processes()), step.Seconds);
            steps.Add(step);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name} × {concurrency,3}: {step.PerSecond,7:F0}/s  p50 {step.Percentile(0.5),5:F0} ms  p99 {step.Percentile(0.99),5:F0} ms  failed {step.Failed}"));
            // One step that gains nothing can be the shared machine's noise: the ramp ends after two in a row.
            flat = best is not null && step.PerSecond <= best.PerSecond * 1.05 ? flat + 1 : 0;
            if (best is null || step.PerSecond > best.PerSecond)
            {
                best = step;
                busyAtBest = busy;
            }
            if (flat == 2) break;
        }
        return new Ramp(steps, best!, busyAtBest);
    }

    private static object Summary(LoadResult r) => new
    {
        r.Concurrency, perSecond = r.PerSecond, r.Succeeded, r.Failed, p50Ms = r.Percentile(0.5), p95Ms = r.Percentile(0.95), p99Ms = r.Percentile(0.99),
    };
}
