using MotCua.Performance;

// Benchmarks print figures; they pass or fail nothing. Usage: MotCua.Performance suite | storm [count] | ... (see Usage).
return args.FirstOrDefault() switch
{
    "suite" or null => await Suite.RunAsync(),
    "intake" => await IntakeOnlyAsync(),
    "micro" => MicroOnly(),
    "signing" => SigningOnly(),
    "reads" => await ReadsOnlyAsync(),
    "signin" => await SignInOnlyAsync(),
    "storm" => await DeadlineStorm.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000),
    "feed" => await FeedSubscribers.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000),
    "projection" => await EvaluationProjection.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000),
    "report" => await EvaluationReport.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000),
    "notifications" => await NotificationThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000),
    _ => Usage(),
};

// The intake ramp alone, to profile it (dotnet-trace) without running the whole suite.
static async Task<int> IntakeOnlyAsync()
{
    var report = new SuiteReport();
    await using var sms = await SmsSink.StartAsync();
    await IntakeLoad.RunAsync(report, await Intakes.PrepareAsync(), await Baselines.RunAsync(report));
    return 0;
}

static async Task<int> ReadsOnlyAsync()
{
    var report = new SuiteReport();
    await Reads.RunAsync(report);
    return 0;
}

static async Task<int> SignInOnlyAsync()
{
    var report = new SuiteReport();
    await SignIn.RunAsync(report);

    return 0;
}

static int MicroOnly()
{
    HotPaths.Run(new SuiteReport());
    return 0;
}

// A paper rendered and signed, without the platform: the time signing adds.
static int SigningOnly()
{
    PaperSigningBenchmark.Run(new SuiteReport());
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: MotCua.Performance suite | intake | micro | signing | reads | signin | storm [count] | notifications [count] | feed [subscribers] | projection [events] | report [dossiers]   (run through deploy/local/bench.sh)");
    return 2;
}
