using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using MotCua.Notification.Templates;

namespace MotCua.Performance;

/// <summary>
/// BenchmarkDotNet over the hot pure code, in this process on one thread (short runs, so the suite stays within its
/// time): a due time in working time over a calendar with the year's holidays, a dossier's code, an SMS rendered from
/// its template.
/// </summary>
[MemoryDiagnoser]
public class HotPaths
{
    private static readonly DateOnly[] Holidays2026 =
    [
        new(2026, 1, 1), new(2026, 2, 16), new(2026, 2, 17), new(2026, 2, 18), new(2026, 2, 19), new(2026, 2, 20),
        new(2026, 4, 27), new(2026, 4, 30), new(2026, 5, 1), new(2026, 9, 1), new(2026, 9, 2),
    ];

    private readonly WorkingCalendar _calendar = new(WorkingCalendar.DefaultPeriods, Holidays2026, []);
    private readonly Template _sms = new("dossier-received", "sms", null,
        "Ho so {code} da duoc tiep nhan. Ngay hen tra: {dueDate}. Tra cuu: {code}");
    private readonly Dictionary<string, string> _values = new()
    {
        ["code"] = "000.00.06.H57-261122-0042", ["dueDate"] = "27/11/2026", ["applicant"] = "Nguyễn Thị Hoà",
    };
    private DateTimeOffset _received = new(2026, 11, 20, 15, 47, 0, TimeSpan.FromHours(7));
    private int _sequence;

    /// <summary>Three working days from a Friday afternoon, across a weekend: the usual due-date computation.</summary>
    [Benchmark]
    public DateTimeOffset DueTime() => _calendar.Add(_received, TimeSpan.FromHours(24));

    [Benchmark]
    public string DossierCode() => Intake.CodeOf("000.00.06.H57", _received, ++_sequence % 10_000);

    [Benchmark]
    public string SmsFromTemplate() => _sms.Render(_values).Body;

    /// <summary>How every micro-benchmark of the suite runs: in this process, short runs, to the console only.</summary>
    public static IConfig InProcessShortRun => ManualConfig.CreateEmpty()
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .AddLogger(ConsoleLogger.Default)
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .WithOptions(ConfigOptions.DisableLogFile);

    public static void Run(SuiteReport report)
    {
        var summary = BenchmarkRunner.Run<HotPaths>(InProcessShortRun);
        foreach (var run in summary.Reports.Where(r => r.ResultStatistics is not null))
        {
            var name = run.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            var perSecond = 1e9 / run.ResultStatistics!.Mean;
            var allocated = run.GcStats.GetBytesAllocatedPerOperation(run.BenchmarkCase);
            var (label, target, met) = name switch
            {
                nameof(DueTime) => ("due time in working time (3 working days over a weekend)", "≥ 2,000,000/s", (bool?)(perSecond >= 2_000_000)),
                nameof(DossierCode) => ("dossier code", (string?)null, (bool?)null),
                _ => ("SMS rendered from its template (placeholders, diacritics removed)", null, null),
            };
            report.Add(new("micro", label, perSecond, "/s on one core", target, met, null, $"{run.ResultStatistics.Mean:F0} ns, {allocated} B allocated"));
        }
    }
}
