using System.Diagnostics;

namespace MotCua.Performance;

/// <summary>
/// The whole benchmark suite in one run on the platform bench.sh started: baselines of the machine, the deadline
/// storm (first, while no other dossier can fall due with it), intake, the event pipeline, reads over a million
/// dossiers, the peak memory of every process, and the micro-benchmarks (a paper's signature among them); each figure beside its target and, where it means something, its ratio to a baseline of this run.
/// </summary>
public static class Suite
{
    private const int Storm = 100_000;

    public static async Task<int> RunAsync()
    {
        var report = new SuiteReport();
        await using var sms = await SmsSink.StartAsync();
        var clock = Stopwatch.StartNew();
        var peaksAfter = new Dictionary<string, Dictionary<string, double>>();
        report.Details["peakWorkingSetMbAfterStage"] = peaksAfter;
        // A stage that fails is a line in the table, not the end of the run: the other figures are still worth having.
        async Task Stage(string name, Func<Task> run)
        {
            Console.WriteLine($"\n== {name} ({clock.Elapsed.TotalMinutes:F1} min into the run)");
            try
            {
                await run();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                report.Add(new(name, "stage failed", double.NaN, "", null, false, null, $"{e.GetType().Name}: {e.Message}"));
            }
            // The peak so far after each stage, so the table's peaks can be traced to the stage that raised them.
            var peaks = ProcessSampler.PeakWorkingSetMb(ProcessSampler.Processes());
            peaksAfter[name] = peaks;
            Console.WriteLine("  peak working set so far: " + string.Join(", ", peaks.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:F0} MB")));
        }

        var baseline = new Baselines.Result(double.NaN, double.NaN, double.NaN);
        await Stage("baselines", async () => baseline = await Baselines.RunAsync(report));

        await Stage("deadline storm", async () =>
        {
            var storm = await DeadlineStorm.MeasureAsync(Storm);
            report.Add(new("storm", $"{Storm:N0} dossiers due at one instant: every apology issued", storm.SecondsUntilAllApologised ?? double.NaN, "s",
                "≤ 60 s", storm.SecondsUntilAllApologised <= 60, null, $"sweeper batch p50 {storm.BatchP50Ms} / p99 {storm.BatchP99Ms} ms"));
            report.Add(new("storm", "… every ApologyIssued published", storm.SecondsUntilAllPublished ?? double.NaN, "s", null, null, null, null));
            report.Add(new("storm", "… every apology's text in the delivery log", storm.SecondsUntilAllLogged ?? double.NaN, "s", "≤ 60 s",
                storm.SecondsUntilAllLogged <= 60, null, null));
            report.Details["storm"] = storm;
            await Drain.WaitAsync(report, "after the storm");
        });

        Intakes? intakes = null;
        await Stage("intake", async () =>
        {
            intakes = await Intakes.PrepareAsync();
            await IntakeLoad.RunAsync(report, intakes, baseline);
        });
        await Stage("event pipeline", () => EventPipeline.RunAsync(report, intakes ?? throw new InvalidOperationException("No intake: see its stage.")));
        await Stage("reads", () => Reads.RunAsync(report));
        await Stage("sign-in", () => SignIn.RunAsync(report));

        await Stage("memory", () =>
        {
            var peaks = ProcessSampler.PeakWorkingSetMb(ProcessSampler.Processes());
            foreach (var (process, mb) in peaks.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var ours = process is not ("postgresql" or "rabbitmq" or "bench");
                report.Add(new("memory", $"peak working set: {process}", mb, "MB", ours ? "≤ 250 MB" : null, ours ? mb <= 250 : null, null,
                    process switch { "postgresql" => "largest of its processes", "bench" => "the load generator", _ => null }));
            }
            return Task.CompletedTask;
        });
        await Stage("micro-benchmarks", () =>
        {
            HotPaths.Run(report);
            PaperSigningBenchmark.Run(report);
            return Task.CompletedTask;
        });

        report.Details["minutes"] = clock.Elapsed.TotalMinutes;
        report.Details["smsAccepted"] = sms.Accepted;
        await report.SaveAsync();
        return 0;
    }
}
