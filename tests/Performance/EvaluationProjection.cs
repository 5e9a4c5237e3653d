using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MotCua.Contracts;
using Npgsql;

namespace MotCua.Performance;

/// <summary>
/// Projection throughput: <c>count</c> events (a quarter each of DossierReceived, DossierStepCompleted, DossierResolved and
/// DossierReturned, for dossiers spread over 150 communes) sent to Evaluation's queues on the platform's RabbitMQ, and
/// consumed by one Evaluation instance through its inbox into the projections. The instance is paused (SIGSTOP) while the
/// events are sent, so its rate is its own and not the sender's on the same two cores; it is taken from the first to the
/// last event Evaluation logged. Then every logged event replayed by <c>POST /api/evaluation/rebuild</c>, called on the
/// service itself (a rebuild of a large log outlasts the gateway's 30-second activity timeout).
/// </summary>
public static class EvaluationProjection
{
    public static async Task<int> RunAsync(int count)
    {
        await using var dataSource = NpgsqlDataSource.Create(BenchPlatform.Database("evaluation"));
        using var http = await BenchPlatform.AdminClientAsync();
        var now = (await http.GetFromJsonAsync<JsonElement>("/api/admin/clock")).GetProperty("now").GetDateTimeOffset();
        var before = await ScalarAsync(dataSource, "SELECT coalesce(max(seq), 0) FROM event_log");

        var bus = Bus.Factory.CreateUsingRabbitMq(configure =>
            configure.Host(new Uri(Environment.GetEnvironmentVariable("MOTCUA_AMQP") ?? "amqp://guest:guest@127.0.0.1:55672/")));
        await bus.StartAsync();
        try
        {
            var events = Events(count / 4, now);
            var endpoints = new Dictionary<Type, ISendEndpoint>();
            foreach (var type in events.Select(e => e.GetType()).Distinct())
                endpoints[type] = await bus.GetSendEndpoint(new Uri("queue:evaluation-outcome-" + KebabCaseEndpointNameFormatter.Instance.SanitizeName(type.Name)));
            var evaluation = (await File.ReadAllTextAsync(Environment.GetEnvironmentVariable("MOTCUA_EVALUATION_PID_FILE") ?? ".local/pids/evaluation.pid")).Trim();
            Console.WriteLine($"pausing Evaluation (pid {evaluation}) and sending {events.Count:N0} events …");
            await Signal("-STOP", evaluation);
            var sending = Stopwatch.StartNew();
            try
            {
                foreach (var chunk in events.Chunk(500))
                    await Task.WhenAll(chunk.Select(e => endpoints[e.GetType()].Send(e, e.GetType(), context => context.MessageId = e.EventId)));
            }
            finally
            {
                await Signal("-CONT", evaluation);
            }
            var sent = sending.Elapsed.TotalSeconds;

            var waiting = Stopwatch.StartNew();
            long logged = 0;
            while (waiting.Elapsed < TimeSpan.FromMinutes(20) && (logged = await ScalarAsync(dataSource, "SELECT count(*) FROM event_log WHERE seq > $1", before)) < events.Count)
                await Task.Delay(500);
            var span = await ScalarAsync(dataSource,
                "SELECT (extract(epoch FROM max(received_at) - min(received_at)) * 1000)::bigint FROM event_log WHERE seq > $1", before) / 1000.0;
            var projected = logged / span;
            Console.WriteLine("| projection | figure |");
            Console.WriteLine("|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| events sent to RabbitMQ | {events.Count:N0} in {sent:F1} s ({events.Count / sent:N0} a second) |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| events projected by one Evaluation instance from full queues (inbox, log, projection) | {logged:N0} in {span:F1} s: {projected:N0} a second |"));

            using var direct = new HttpClient { BaseAddress = new Uri(Environment.GetEnvironmentVariable("MOTCUA_EVALUATION_URL") ?? "http://127.0.0.1:5103/"),
                Timeout = TimeSpan.FromMinutes(30) };
            direct.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
            var rebuilt = await (await direct.PostAsJsonAsync("/api/evaluation/rebuild", new { })).Content.ReadFromJsonAsync<JsonElement>();
            var replayed = rebuilt.GetProperty("events").GetInt64();
            var seconds = rebuilt.GetProperty("seconds").GetDouble();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| rebuild: every logged event replayed in one transaction | {replayed:N0} in {seconds:F1} s: {replayed / seconds:N0} a second |"));
            Console.WriteLine($"| machine | {BenchPlatform.Machine} |");
            await BenchPlatform.SaveAsync("evaluation-projection", new
            {
                events = events.Count, sentPerSecond = events.Count / sent, logged, projectedPerSecond = projected, replayed,
                replayedPerSecond = replayed / seconds, machine = BenchPlatform.Machine,
            });
            return logged == events.Count ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task Signal(string signal, string pid)
    {
        using var kill = Process.Start("kill", [signal, pid]);
        await kill.WaitForExitAsync();
    }

    private static List<IIntegrationEvent> Events(int dossiers, DateTimeOffset now)
    {
        var random = new Random(5000);
        var units = Enumerable.Range(0, 150).Select(_ => Guid.NewGuid()).ToArray();
        var officials = Enumerable.Range(0, 600).Select(_ => Guid.NewGuid()).ToArray();
        var applicant = new ApplicantContact("Nguyễn Văn An", null, null);
        var events = new List<IIntegrationEvent>(dossiers * 4);
        for (var i = 0; i < dossiers; i++)
        {
            var (id, code, unit) = (Guid.NewGuid(), $"PROJ-{i:D8}", units[random.Next(units.Length)]);
            var received = now.AddDays(-random.Next(1, 300));
            var due = received.AddDays(3);
            var resolved = received.AddHours(random.Next(1, 100));
            var timeliness = resolved > due ? "late" : "on_time";
            events.Add(new DossierReceived(Guid.NewGuid(), received, id, code, "1.001193.000.00.00.H57", unit, "counter", received, due, applicant));
            events.Add(new DossierStepCompleted(Guid.NewGuid(), received.AddHours(1), id, code, "1.001193.000.00.00.H57", unit, "transfer", 0,
                "Tiếp nhận", "counter", officials[random.Next(officials.Length)], received.AddHours(1), "on_time", 1, "Thẩm định", null, due, due));
            events.Add(new DossierResolved(Guid.NewGuid(), resolved, id, code, "1.001193.000.00.00.H57", unit, "resolved", Guid.NewGuid(), null, due,
                applicant, timeliness, random.Next(1, 80)));
            events.Add(new DossierReturned(Guid.NewGuid(), resolved.AddHours(1), id, code, "1.001193.000.00.00.H57", unit, "returned", Guid.NewGuid(),
                null, due, applicant, timeliness));
        }
        return events;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, params object[] args)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
