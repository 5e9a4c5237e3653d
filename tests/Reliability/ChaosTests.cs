using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MotCua.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MotCua.Reliability;

/// <summary>
/// Issue 12's promise, tested on the real local stack: under a steady load of intakes and lifecycles, with a share of the
/// dossiers going late, RabbitMQ and PostgreSQL restart, every service and the gateway die by SIGKILL, delivered events
/// come again and every consumer is handed a poison message; afterwards nothing accepted is lost or done twice.
/// </summary>
public sealed class ChaosTests(ReliabilityPlatform platform, ITestOutputHelper output) : IClassFixture<ReliabilityPlatform>
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Under_load_and_every_fault_nothing_accepted_is_lost_or_done_twice()
    {
        var scale = ChaosScale.Current;
        var seed = ChaosScale.Seed;
        var report = new ChaosReport(scale, seed, output.WriteLine);
        report.Log($"chaos ({scale.Name}): seed {seed}, {scale.Counters} counters in {scale.Communes} communes");

        var procedure = await platform.ProcedureAsync("Chứng thực bản sao", 1, PlatformFixture.OneStopSteps(1, 5, 1, 1));
        var communes = new List<Commune>();
        for (var i = 0; i < scale.Communes; i++)
        {
            var unit = await platform.NewCommuneAsync();
            communes.Add(new(unit, (await platform.OfficialAsync(unit, "counter")).Token, (await platform.OfficialAsync(unit, "specialist")).Token,
                (await platform.OfficialAsync(unit, "leader")).Token));
        }
        var units = communes.Select(c => c.Unit).ToArray();

        var load = new CounterLoad(platform.Gateway, scale, communes, procedure, seed);
        using var stopLoad = new CancellationTokenSource();
        var loadStarted = DateTimeOffset.UtcNow;
        var running = load.RunAsync(stopLoad.Token);
        var faults = new Faults(platform, scale, new Random(seed));
        try
        {
            await faults.RunAsync(report.Log);
            // The load goes on a little after the last fault, then the counters finish what they hold and stop.
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await stopLoad.CancelAsync();
            await running;
        }
        var loadHeld = DateTimeOffset.UtcNow - loadStarted;
        report.Log($"load stopped: {load.Accepted.Count:N0} dossiers taken, {load.Returned.Count:N0} carried to return");

        await using var dossiers = NpgsqlDataSource.Create(platform.DatabaseOf("dossier"));
        await using var notifications = NpgsqlDataSource.Create(platform.DatabaseOf("notification"));
        var clockNow = await NowAsync();

        // Drained: every outbox sent, every queue empty (the dead letters aside), every late dossier apologised.
        var waiting = "";
        async Task<bool> DrainedAsync()
        {
            var unsent = new Dictionary<string, long>();
            foreach (var service in new[] { "dossier", "personnel", "evaluation", "notification" })
                unsent[service] = await platform.CountAsync(service, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
            var queued = await QueuedAsync();
            var unapologised = await ScalarAsync(dossiers, $"SELECT count(*) FROM dossiers d WHERE {LateUnapologised}", units, clockNow);
            waiting = $"unsent outbox rows {string.Join(", ", unsent.Select(u => $"{u.Key} {u.Value}"))}; queued: {string.Join(", ", queued.Select(q => $"{q.Key} {q.Value}"))}; late without apology {unapologised}";
            return unsent.Values.Sum() == 0 && queued.Count == 0 && unapologised == 0;
        }
        // A service that stopped itself (a receive endpoint stalled by a broker restart) and was started again by the
        // supervisor was down as a killed one is: its time away counts as a fault's, and the drain is timed from its return.
        DateTimeOffset LastFault() => platform.SelfRestarts.Aggregate(faults.Injected.Max(f => f.Recovered), (last, restart) =>
            new[] { last, restart.Ready.IsCompleted ? restart.Ready.Result ?? restart.Exited : DateTimeOffset.UtcNow }.Max());
        while (!await DrainedAsync())
        {
            try
            {
                await Eventually.True(DrainedAsync, LastFault() + Drain - DateTimeOffset.UtcNow, "drained");
            }
            catch (TimeoutException)
            {
                if (DateTimeOffset.UtcNow >= LastFault() + Drain) Assert.Fail($"Not drained within {Drain.TotalSeconds} s of the last fault: {waiting}");
            }
        }
        var drained = DateTimeOffset.UtcNow;
        var lastFault = LastFault();
        var selfRestarts = platform.SelfRestarts;
        var windows = faults.Injected.ToList();
        foreach (var restart in selfRestarts)
        {
            var ready = await restart.Ready;
            Assert.True(ready is not null, $"{restart.Service} restarted itself at {restart.Exited:O} and was not ready within two minutes");
            windows.Add(new Fault($"{restart.Service} restarted itself", restart.Exited, ready.Value, restart.Reason));
        }
        report.Figure("drained after the last fault", $"{(drained - lastFault).TotalSeconds:F1} s", "≤ 60 s");

        // 1. Every 201 is a dossier, exactly once; a retried or repeated Idempotency-Key never made a second one.
        Assert.Empty(load.Abandoned);
        Assert.Empty(load.KeyBroken);
        Assert.Empty(load.Refused);
        var codes = load.Accepted.Values.ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.Equal(codes.Length, await ScalarAsync(dossiers, "SELECT count(*) FROM dossiers WHERE code = ANY($1)", (object)codes));
        Assert.Equal(codes.Length, await ScalarAsync(dossiers, "SELECT count(*) FROM dossiers WHERE unit_id = ANY($1)", units));

        // 2. Exactly one automatic apology per late dossier; every one that fell due open has it.
        var apologies = await ScalarAsync(dossiers, "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.unit_id = ANY($1)", units);
        Assert.True(apologies > 0, "the clock's move made some dossiers late");
        Assert.Equal(0, await ScalarAsync(dossiers, """
            SELECT count(*) FROM (SELECT a.dossier_id FROM apologies a JOIN dossiers d ON d.id = a.dossier_id
                                  WHERE d.unit_id = ANY($1) GROUP BY a.dossier_id HAVING count(*) > 1) twice
            """, units));
        Assert.Equal(0, await ScalarAsync(dossiers, $"SELECT count(*) FROM dossiers d WHERE {LateUnapologised}", units, clockNow));
        Assert.Equal(apologies, await ScalarAsync(dossiers, """
            SELECT count(*) FROM outbox o JOIN dossiers d ON d.code = o.body->>'code'
            WHERE o.message_type = 'MotCua.Contracts.ApologyIssued' AND d.unit_id = ANY($1)
            """, units));

        // 3. Evaluation's counts per commune equal the Dossier service's own, year by year (in Viet Nam): each figure counts in
        // the year its event happened, and a run started on a year's last evening receives in one year and apologises in the next.
        const string VietnamYear = "to_char({0} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY')";
        var years = new List<string>();
        await using (var yearsCommand = dossiers.CreateCommand($"""
            SELECT DISTINCT y FROM (
                SELECT {string.Format(VietnamYear, "received_at")} AS y FROM dossiers WHERE unit_id = ANY($1)
                UNION SELECT {string.Format(VietnamYear, "resolved_at")} FROM dossiers WHERE unit_id = ANY($1) AND resolved_at IS NOT NULL
                UNION SELECT {string.Format(VietnamYear, "a.issued_at")} FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.unit_id = ANY($1)) years
            """))
        {
            yearsCommand.Parameters.Add(new NpgsqlParameter { Value = units });
            await using var reader = await yearsCommand.ExecuteReaderAsync();
            while (await reader.ReadAsync()) years.Add(reader.GetString(0));
        }
        foreach (var unit in units)
            foreach (var year in years)
            {
                var own = new Dictionary<string, long>
                {
                    ["received"] = await ScalarAsync(dossiers, $"SELECT count(*) FROM dossiers WHERE unit_id = $1 AND {string.Format(VietnamYear, "received_at")} = $2", unit, year),
                    ["resolved"] = await ScalarAsync(dossiers, $"SELECT count(*) FROM dossiers WHERE unit_id = $1 AND {string.Format(VietnamYear, "resolved_at")} = $2", unit, year),
                    ["apologies"] = await ScalarAsync(dossiers,
                        $"SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.unit_id = $1 AND {string.Format(VietnamYear, "a.issued_at")} = $2",
                        unit, year),
                };
                var (_, counted) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={year}", await platform.TokenAsync()));
                foreach (var (figure, value) in own)
                    Assert.True(counted.GetProperty(figure).GetInt64() == value,
                        $"Evaluation's {figure} for {unit} in {year}: {counted.GetProperty(figure)}; the Dossier service's: {value}");
            }

        // 4. The delivery log: one row per event, recipient and channel; every intake and every apology texted once.
        Assert.Equal(0, await ScalarAsync(notifications,
            "SELECT count(*) - count(DISTINCT (event_id, recipient_masked, channel)) FROM deliveries WHERE dossier_code = ANY($1)", (object)codes));
        Assert.Equal(codes.Length, await ScalarAsync(notifications,
            "SELECT count(*) FROM deliveries WHERE template = 'dossier-received' AND channel = 'sms' AND dossier_code = ANY($1)", (object)codes));
        Assert.Equal(apologies, await ScalarAsync(notifications,
            "SELECT count(*) FROM deliveries WHERE template = 'apology-issued' AND channel = 'sms' AND dossier_code = ANY($1)", (object)codes));
        var textsTwice = platform.Sms.Accepted.GroupBy(m => m.Reference).Count(g => g.Count() > 1);

        // 5. The poison sits in the _error queues, where the operator tool lists and replays it (it fails again) and purges it.
        await DeadLettersAsync(faults.Poisoned);

        // 6. Honest answers: a 5xx is a 503, and only while something was down.
        var answers = load.Answers.ToList();
        var fiveHundreds = answers.Where(a => a.Status >= 500 && a.Status != 503).ToList();
        var unexplained503 = answers.Count(a => a.Status == 503 && !windows.Any(f => f.Covers(a.At)));
        Assert.True(fiveHundreds.Count == 0, "5xx other than 503: " + string.Join(", ", fiveHundreds.GroupBy(a => $"{a.What} {a.Status}").Select(g => $"{g.Key} ×{g.Count()}")));
        Assert.True(unexplained503 == 0, $"{unexplained503} answers were 503 while no fault was under way");
        Assert.All(answers.Where(a => a.Status == 503), a => Assert.True(a.RetryAfter, $"a 503 to {a.What} at {a.At:O} without Retry-After"));

        report.Figure("faults injected", string.Join("; ", faults.Injected.Select(f => $"{f.Name} (ready after {(f.Recovered - f.Injected).TotalSeconds:F1} s)")), "all");
        report.Figure("services that stopped themselves and were started again",
            selfRestarts.Count == 0 ? "none" : string.Join("; ", selfRestarts.Select(r =>
                $"{r.Service} (ready after {(r.Ready.Result!.Value - r.Exited).TotalSeconds:F1} s): {r.Reason ?? "no reason logged"}")), null);
        report.Figure("load held", $"{scale.Counters} counters in {scale.Communes} communes for {loadHeld.TotalSeconds:F0} s", null);
        report.Figure("requests tried", $"{answers.Count:N0} (intake retries {load.Retries:N0}; sent twice on purpose {load.SentTwice:N0})", null);
        foreach (var group in answers.GroupBy(a => a.Status).OrderBy(g => g.Key))
            report.Figure($"  answered {(group.Key == 0 ? "nothing (refused or timed out)" : group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}", $"{group.Count():N0}", null);
        report.Figure("bad inputs tried", $"{load.BadInputs:N0}, every one a 400", null);
        Assert.Empty(load.BadInputsMishandled);
        report.Figure("dossiers taken (a 201, or the 200 a retry got when its first attempt had committed)", $"{codes.Length:N0}, each exactly once in the Dossier database", "none lost");
        report.Figure("carried to return", $"{load.Returned.Count:N0}", null);
        report.Figure("late, apologised once", $"{apologies:N0}", "exactly one each");
        report.Figure("events duplicated", $"{faults.Duplicated:N0}, absorbed by the inboxes", "no double count");
        report.Figure("poison messages", $"{faults.Poisoned.Count} (one per consumer queue), listed, replayed and purged with the operator tool", null);
        report.Figure("deliveries the SMS provider got twice", $"{textsTwice:N0}, each with its delivery id as reference for the provider to drop (sent, then the process killed or the database gone before the row was marked sent)", null);
        report.Figure("lost", "nothing", "nothing");
        await report.SaveAsync();
    }

    /// <summary>Open, past the statutory due time at the clock's now, and without its letter.</summary>
    private const string LateUnapologised = """
        d.unit_id = ANY($1) AND d.status IN ('received', 'processing') AND d.due_at < $2
        AND NOT EXISTS (SELECT 1 FROM apologies a WHERE a.dossier_id = d.id)
        """;

    private async Task DeadLettersAsync(List<string> poisoned)
    {
        await Eventually.True(async () => (await ErrorQueuesAsync()).Where(q => poisoned.Contains(q.Key)).Count(q => q.Value >= 1) == poisoned.Count,
            Drain, "every poison message in its _error queue");
        var (listed, list) = await OperatorCli.RunAsync(platform, "dead-letters", "list");
        Assert.True(listed == 0, list);
        Assert.All(poisoned, queue => Assert.Contains(queue + "_error", list, StringComparison.Ordinal));
        foreach (var queue in poisoned)
        {
            var (replayed, replay) = await OperatorCli.RunAsync(platform, "dead-letters", "replay", queue);
            Assert.True(replayed == 0, replay);
            Assert.Matches(new Regex(@"[1-9]\d* messages? replayed"), replay);
        }
        // Poison stays poison: replayed, it fails again and is back where it was.
        await Eventually.True(async () => (await ErrorQueuesAsync()).Where(q => poisoned.Contains(q.Key)).Count(q => q.Value >= 1) == poisoned.Count,
            Drain, "the replayed poison back in the _error queues");
        var (purged, purge) = await OperatorCli.RunAsync(platform, "dead-letters", "purge", "--all", "--yes");
        Assert.True(purged == 0, purge);
    }

    /// <summary>Messages waiting in the platform's queues, dead letters aside (the management API trails by a few seconds).</summary>
    private async Task<Dictionary<string, long>> QueuedAsync()
    {
        using var api = TestInfrastructure.RabbitMqApiClient();
        return (await api.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}?columns=name,messages")).EnumerateArray()
            .Where(q => !q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .Select(q => (Name: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .Where(q => q.Messages > 0)
            .ToDictionary(q => q.Name, q => q.Messages);
    }

    /// <summary>Each consumer queue whose _error twin holds messages, and how many.</summary>
    private async Task<Dictionary<string, long>> ErrorQueuesAsync()
    {
        using var api = TestInfrastructure.RabbitMqApiClient();
        return (await api.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}?columns=name,messages")).EnumerateArray()
            .Where(q => q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .ToDictionary(q => q.GetProperty("name").GetString()![..^"_error".Length],
                q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
    }

    private async Task<DateTimeOffset> NowAsync()
    {
        var (_, clock) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/clock", await platform.TokenAsync()));
        return clock.GetProperty("now").GetDateTimeOffset();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, params object[] args)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg is DateTimeOffset instant ? instant.ToUniversalTime() : arg });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
