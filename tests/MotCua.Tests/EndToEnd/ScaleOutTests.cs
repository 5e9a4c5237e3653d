using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Two instances of every service behind the gateway: whole lifecycles and a deadline storm go through them, and every
/// dossier is counted, notified and apologised for exactly once, though two relays, two sweepers and two consumers of
/// each queue share the work.
/// </summary>
[Collection(ScaledOutPlatformCollection.Name)]
public sealed class ScaleOutTests(ScaledOutPlatformFixture platform)
{
    private const int Lifecycles = 12;
    private const int Storm = 150;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Lifecycles_and_a_deadline_storm_through_two_instances_of_everything_are_counted_notified_and_apologised_once()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var (_, specialist) = await platform.OfficialAsync(unit, "specialist");
        var (_, leader) = await platform.OfficialAsync(unit, "leader");
        var procedure = await platform.ProcedureAsync("Chứng thực bản sao", 1, PlatformFixture.OneStopSteps(1, 5, 1, 1));

        var returned = new List<string>();
        var late = new List<string>();
        DateTimeOffset latestDue = default;
        var receipts = new List<DateTimeOffset>();
        foreach (var chunk in Enumerable.Range(0, Lifecycles + Storm).Chunk(16))
            foreach (var dossier in await Task.WhenAll(chunk.Select(i => IntakeAsync(unit, counter, procedure, i))))
            {
                var code = dossier.GetProperty("code").GetString()!;
                receipts.Add(dossier.GetProperty("receivedAt").GetDateTimeOffset());
                if (returned.Count < Lifecycles) returned.Add(code);
                else late.Add(code);
                var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
                if (due > latestDue) latestDue = due;
            }

        // Every step of a lifecycle lands on whichever instance the gateway picks.
        var lifecyclesFrom = await platform.NowAsync();
        await Task.WhenAll(returned.Select(async code =>
        {
            await ActAsync(counter, code, "transfer");
            await ActAsync(specialist, code, "complete-step");
            await ActAsync(leader, code, "approve");
            await ActAsync(counter, code, "mark-result-ready");
            await ActAsync(counter, code, "return");
        }));
        var lifecyclesUntil = await platform.NowAsync();

        // The gateway moves the clock of all eight instances; both Dossier sweepers wake on the same storm.
        var (moved, clock) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", await platform.TokenAsync(),
            new { advanceTo = latestDue.AddMinutes(1) }));
        Assert.True(moved == HttpStatusCode.OK, clock.ToString());

        await using var dossiers = Npgsql.NpgsqlDataSource.Create(platform.DatabaseOf("dossier"));
        await using var notifications = Npgsql.NpgsqlDataSource.Create(platform.DatabaseOf("notification"));
        await Eventually.True(async () => await ScalarAsync(dossiers,
            "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = ANY($1)", late) == Storm,
            Settle, "every late dossier apologised");
        foreach (var instance in platform.Instances["dossier"])
        {
            var (_, sweeper) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/sweeper", await platform.TokenAsync(),
                baseUri: instance.Address));
            Assert.True(sweeper.GetProperty("batches").GetInt64() > 0, $"the sweeper at {instance.Address} took a share: {sweeper}");
        }

        // One apology, one ApologyIssued, one overdue alert per late dossier; none for the returned ones.
        Assert.Equal(Storm, await ScalarAsync(dossiers,
            "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = ANY($1)", late));
        Assert.Equal(Storm, await ScalarAsync(dossiers,
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.ApologyIssued' AND body->>'code' = ANY($1)", late));
        Assert.Equal(Storm, await ScalarAsync(dossiers,
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.DossierOverdue' AND body->>'code' = ANY($1)", late));
        Assert.Equal(0, await ScalarAsync(dossiers, "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = ANY($1)", returned));

        // Each citizen hears of the apology once: one delivery row, and one text at the SMS gateway.
        await Eventually.True(async () => await ScalarAsync(notifications,
            "SELECT count(*) FROM deliveries WHERE template = 'apology-issued' AND channel = 'sms' AND status = 'sent' AND dossier_code = ANY($1)", late) == Storm,
            Settle, "every apology texted");
        Assert.All(late, code => Assert.Equal(1, platform.Sms.Accepted.Count(m => Mentions(m.Text, code) && m.Text.StartsWith("Xin loi", StringComparison.Ordinal))));
        // Every text the gateway accepted for these dossiers is a sent delivery row, and every sent row reached the gateway: the
        // same ids both ways. Delivery is at least once: a send that times out after the provider took it is sent again with the
        // same reference (the delivery's id), by which the provider can tell, so ids are compared, not texts.
        var all = returned.Concat(late).ToList();
        await Eventually.True(async () => await ScalarAsync(notifications,
            "SELECT count(*) FROM deliveries WHERE channel = 'sms' AND status = 'pending' AND dossier_code = ANY($1)", all) == 0,
            Settle, "no text still pending");
        await using (var sentRows = notifications.CreateCommand(
            "SELECT id FROM deliveries WHERE channel = 'sms' AND status = 'sent' AND dossier_code = ANY($1)"))
        {
            sentRows.Parameters.Add(new Npgsql.NpgsqlParameter { Value = all.ToArray() });
            var sent = new HashSet<string>();
            await using (var reader = await sentRows.ExecuteReaderAsync())
                while (await reader.ReadAsync()) sent.Add(reader.GetGuid(0).ToString());
            var references = platform.Sms.Accepted.Where(m => all.Any(code => Mentions(m.Text, code))).Select(m => m.Reference ?? "").ToHashSet();
            Assert.Equal(sent.Order(), references.Order());
        }

        // Evaluation's counts equal the Dossier service's own, each read in the month its events fall in (in Viet Nam):
        // receipts in the months of receipt, results in the month(s) the lifecycles ran, apologies and the overdue still
        // pending in the month the clock was moved to. Received on a month's last evening (or before Tết, or on a Friday
        // before a month's end), the storm falls due and is apologised for in the next month: the month of receipt alone
        // never shows the apologies.
        static string MonthOf(DateTimeOffset instant) => instant.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        async Task<JsonElement?> Report(string month)
        {
            var (_, report) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={month}", await platform.TokenAsync()));
            return report.ValueKind == JsonValueKind.Object ? report : null;
        }
        async Task<long> Sum(IEnumerable<string> months, string figure)
        {
            long sum = 0;
            foreach (var month in months.Distinct()) sum += (await Report(month))?.GetProperty(figure).GetInt64() ?? 0;
            return sum;
        }
        var apologyMonth = MonthOf(latestDue.AddMinutes(1));
        var indicators = await Eventually.Get<object>(async () =>
            await Report(apologyMonth) is { } report && report.GetProperty("apologies").GetInt64() == Storm
                && await Sum([MonthOf(lifecyclesFrom), MonthOf(lifecyclesUntil)], "resolved") == Lifecycles ? report : null,
            Settle, "Evaluation counts every dossier") is JsonElement found ? found : default;
        var received = await Sum(receipts.Select(MonthOf), "received");
        Assert.Equal(await ScalarAsync(dossiers, "SELECT count(*) FROM dossiers WHERE code = ANY($1)", all), received);
        Assert.Equal(Lifecycles + Storm, received);
        Assert.Equal(Storm, indicators.GetProperty("overduePending").GetInt64());

        foreach (var service in new[] { "dossier", "personnel", "evaluation", "notification" })
            await Eventually.True(async () => await platform.CountAsync(service, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0,
                Settle, $"{service}'s outbox drained");
    }

    [Fact]
    public async Task Every_shared_queue_and_its_error_queue_is_a_quorum_queue_and_only_the_instances_own_live_feeds_are_classic()
    {
        // A message no consumer can read makes MassTransit declare the queue's _error twin.
        await using (var broker = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(platform.AmqpUri) }.CreateConnectionAsync())
        await using (var channel = await broker.CreateChannelAsync())
            await channel.BasicPublishAsync("", "notification-dossier-at-risk", true,
                new RabbitMQ.Client.BasicProperties { ContentType = "application/vnd.masstransit+json" }, System.Text.Encoding.UTF8.GetBytes("not json"));
        // Each Notification instance declares its own feeds as its endpoints start, which may be after the shared queues.
        static int Feeds(List<(string Name, string Type)> all) =>
            all.Count(q => q.Name.StartsWith("notification-feed-dossier-received-", StringComparison.Ordinal));
        var queues = await Eventually.Get(async () =>
        {
            var all = await QueuesAsync();
            return all.Any(q => q.Name == "notification-dossier-at-risk_error") && Feeds(all) >= 2 ? all : null;
        }, Settle, "the _error queue and both instances' feeds are declared");

        Assert.Contains(queues, q => q.Name == "dossier-official-registered-copy" && q.Type == "quorum");
        Assert.Contains(queues, q => q.Name == "notification-dossier-received" && q.Type == "quorum");
        Assert.All(queues.Where(q => !q.Name.StartsWith("notification-feed-", StringComparison.Ordinal)), q => Assert.True(q.Type == "quorum", $"{q.Name} is {q.Type}"));
        // Two Notification instances, each with its own feed of every event.
        Assert.Equal(2, queues.Where(q => q.Name.StartsWith("notification-feed-dossier-received-", StringComparison.Ordinal)).Count(q => q.Type == "classic"));
    }

    private async Task<List<(string Name, string Type)>> QueuesAsync()
    {
        using var api = TestInfrastructure.RabbitMqApiClient();
        return [.. (await api.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}?columns=name,type")).EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString()!, Type: q.GetProperty("type").GetString()!))];
    }

    private static bool Mentions(string text, string code) => text.Split(' ').Any(word => word.TrimEnd('.', ',', ':') == code);

    private async Task<JsonElement> IntakeAsync(Guid unit, string counter, string procedure, int i)
    {
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = unit, channel = "counter",
            applicant = new { fullName = "Trần Văn Mở Rộng", idNumber = $"0010850{i:D5}", phone = $"0913{i:D6}" },
        }));
        Assert.True(status == HttpStatusCode.Created, dossier.ToString());
        return dossier;
    }

    private async Task ActAsync(string token, string code, string action)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/{action}", token, new { }));
        Assert.True(status == HttpStatusCode.OK, $"{action} on {code}: {status} {body}");
    }

    private static async Task<long> ScalarAsync(Npgsql.NpgsqlDataSource dataSource, string sql, List<string> codes)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = codes.ToArray() });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
