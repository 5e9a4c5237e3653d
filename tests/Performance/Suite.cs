using System.Diagnostics;

namespace MotCua.Performance;

/// <summary>
/// The whole benchmark suite in one run on the platform bench.sh started: baselines of the machine, the deadline
/// storm (first, while no other dossier can fall due with it), intake, the event pipeline, reads over a million
/// dossiers, the peak memory of every process, and the micro-benchmarks; each figure beside its target and, where it means something, its ratio to a baseline of this run.
/// </summary>
public static class Suite
{
    private const int Storm = 100_000;

    public static async Task<int> RunAsync()
    {
        var report = new SuiteReport();
        await using var sms = await SmsSink.StartAsync();
        var clock = Stopwatch.StartNew();
        var processes = ProcessSampler.Processes();
        void Stage(string name) => Console.WriteLine($"\n== {name} ({clock.Elapsed.TotalMinutes:F1} min into the run)");

        Stage("baselines");
        var baseline = await Baselines.RunAsync(report);

        Stage("deadline storm");
        var storm = await DeadlineStorm.MeasureAsync(Storm);
        report.Add(new("storm", $"{Storm:N0} dossiers due at one instant: every apology issued", storm.SecondsUntilAllApologised ?? double.NaN, "s",
            "≤ 60 s", storm.SecondsUntilAllApologised <= 60, null, $"sweeper batch p50 {storm.BatchP50Ms} / p99 {storm.BatchP99Ms} ms"));
        report.Add(new("storm", "… every ApologyIssued published", storm.SecondsUntilAllPublished ?? double.NaN, "s", null, null, null, null));
        report.Add(new("storm", "… every apology's text in the delivery log", storm.SecondsUntilAllLogged ?? double.NaN, "s", "≤ 60 s",
            storm.SecondsUntilAllLogged <= 60, null, null));
        report.Details["storm"] = storm;
        await Drain.WaitAsync(report, "after the storm");

        Stage("intake");
        var intakes = await Intakes.PrepareAsync();
        await IntakeLoad.RunAsync(report, intakes, baseline);

        Stage("event pipeline");
        await EventPipeline.RunAsync(report, intakes);

        Stage("reads");
        await Reads.RunAsync(report);

        Stage("memory");
        var peaks = ProcessSampler.PeakWorkingSetMb(processes);
        foreach (var (process, mb) in peaks.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var ours = process is not ("postgresql" or "rabbitmq" or "bench");
            report.Add(new("memory", $"peak working set: {process}", mb, "MB", ours ? "≤ 250 MB" : null, ours ? mb <= 250 : null, null,
                process switch { "postgresql" => "largest of its processes", "bench" => "the load generator", _ => null }));
        }

        Stage("micro-benchmarks");
        HotPaths.Run(report);

        report.Details["minutes"] = clock.Elapsed.TotalMinutes;
        report.Details["smsAccepted"] = sms.Accepted;
        await report.SaveAsync();
        return 0;
    }
}
