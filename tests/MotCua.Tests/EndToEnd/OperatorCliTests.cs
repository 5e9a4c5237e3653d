using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.Contracts;
using MotCua.Tests.Support;
using RabbitMQ.Client;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// The operator tool against the scaled-out platform, run as its own process: backup and restore after a wipe, dead
/// letters listed, replayed and purged, the calendar imported, the state of every part, reports exported, a rebuild.
/// </summary>
[Collection(ScaledOutPlatformCollection.Name)]
public sealed class OperatorCliTests(ScaledOutPlatformFixture platform)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_backup_restored_after_the_databases_are_wiped_gives_back_every_dossier_apology_and_official()
    {
        var unit = await platform.NewCommuneAsync();
        var officials = new List<Guid>();
        var (counterId, counter) = await platform.OfficialAsync(unit, "counter");
        officials.Add(counterId);
        officials.Add((await platform.OfficialAsync(unit, "specialist")).Id);
        officials.Add((await platform.OfficialAsync(unit, "leader")).Id);
        var procedure = await platform.ProcedureAsync("Chứng thực chữ ký", 1, PlatformFixture.OneStopSteps(1, 5, 1, 1));
        var dossiers = new Dictionary<string, Guid>();
        DateTimeOffset latestDue = default;
        for (var i = 0; i < 6; i++)
        {
            var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
            {
                procedureCode = procedure, unitId = unit, channel = "counter",
                applicant = new { fullName = "Lê Thị Sao Lưu", idNumber = $"07909000{i:D4}", phone = $"09351{i:D5}" },
            }));
            Assert.True(status == HttpStatusCode.Created, dossier.ToString());
            dossiers[dossier.GetProperty("code").GetString()!] = dossier.GetProperty("id").GetGuid();
            var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
            if (due > latestDue) latestDue = due;
        }
        var (moved, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", await platform.TokenAsync(),
            new { advanceTo = latestDue.AddMinutes(1) }));
        Assert.Equal(HttpStatusCode.OK, moved);
        var apologies = new Dictionary<string, string>();
        foreach (var code in dossiers.Keys)
            apologies[code] = await Eventually.Get(async () =>
            {
                var (_, list) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter));
                return list.ValueKind == JsonValueKind.Array && list.GetArrayLength() == 1 ? list[0].GetProperty("number").GetString() : null;
            }, Settle, $"{code} apologised");

        var backup = Path.Combine(Path.GetTempPath(), "motcua-backup-" + Guid.NewGuid().ToString("N")[..8]);
        var (dumped, dumpOutput) = await OperatorCli.RunAsync(platform, "backup", "--out", backup);
        Assert.True(dumped == 0, dumpOutput);
        var manifest = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(Path.Combine(backup, "manifest.json")));
        Assert.Equal(4, manifest.GetProperty("dumps").GetArrayLength());

        platform.StopServices();
        try
        {
            await WipeAsync();
            var (refused, refusal) = await OperatorCli.RunAsync(platform, "restore", backup);
            Assert.True(refused == 1, refusal);
            Assert.StartsWith("✗ Not confirmed", refusal.TrimStart(), StringComparison.Ordinal);
            Assert.Equal(0, await DatabasesLeftAsync());

            var (restored, restoreOutput) = await OperatorCli.RunAsync(platform, "restore", backup, "--yes");
            Assert.True(restored == 0, restoreOutput);
        }
        finally
        {
            // The rest of the collection needs its platform back, whatever happened here.
            await platform.StartServicesAsync();
        }

        foreach (var (code, id) in dossiers)
        {
            var (found, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}", counter));
            Assert.True(found == HttpStatusCode.OK, $"{code}: {found} {dossier}");
            Assert.Equal(id, dossier.GetProperty("id").GetGuid());
            var (_, list) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter));
            Assert.Equal(apologies[code], Assert.Single(list.EnumerateArray()).GetProperty("number").GetString());
        }
        foreach (var official in officials)
        {
            var (found, body) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/officials/{official}", await platform.TokenAsync()));
            Assert.True(found == HttpStatusCode.OK, $"{official}: {found} {body}");
        }
        Directory.Delete(backup, recursive: true);
    }

    [Fact]
    public async Task Dead_letters_are_listed_a_replayed_one_reaches_its_consumer_and_a_purge_asks_first()
    {
        const string queue = "evaluation-outcome-dossier-received";
        await using var broker = await new ConnectionFactory { Uri = new Uri(platform.AmqpUri) }.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync();
        var envelope = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };

        // A message no consumer can read: MassTransit moves it to the _error queue, which it declares itself.
        await channel.BasicPublishAsync("", queue, mandatory: true, envelope, Encoding.UTF8.GetBytes("{ this is not json"));
        await Eventually.True(async () => await platform.DeadLettersAsync(queue) == 1, Settle, "the poison message is a dead letter");

        // An event that failed while, say, the database was down, waiting in the same _error queue.
        var unit = Guid.NewGuid();
        var missed = new DossierReceived(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), "MISSED-1", "1.001193.000.00.00.H57", unit, "counter",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(3), new ApplicantContact("Nguyễn Văn Lỡ", null, null));
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId = missed.EventId, messageType = new[] { "urn:message:MotCua.Contracts:DossierReceived" }, message = missed,
            sentTime = DateTimeOffset.UtcNow,
        }, JsonSerializerOptions.Web);
        await channel.BasicPublishAsync("", queue + "_error", mandatory: true, envelope, body);
        await Eventually.True(async () => await platform.DeadLettersAsync(queue) == 2, Settle, "two dead letters");

        var (listed, list) = await OperatorCli.RunAsync(platform, "dead-letters", "list", "--show", "5");
        Assert.True(listed == 0, list);
        Assert.Contains(queue + "_error", list, StringComparison.Ordinal);
        Assert.Equal(2, await platform.DeadLettersAsync(queue));

        var (replayed, replay) = await OperatorCli.RunAsync(platform, "dead-letters", "replay", queue);
        Assert.True(replayed == 0, replay);
        Assert.Contains("2 messages replayed", replay, StringComparison.Ordinal);
        // The month the event says it was received in (in Viet Nam), which counts it, rather than the month it is by now.
        var month = missed.ReceivedAt.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.True(async () =>
        {
            var (_, report) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={month}", await platform.TokenAsync()));
            return report.ValueKind == JsonValueKind.Object && report.GetProperty("received").GetInt64() == 1;
        }, Settle, "the replayed event is counted");
        // The poison fails again and is back where it was.
        await Eventually.True(async () => await platform.DeadLettersAsync(queue) == 1, Settle, "the poison message is a dead letter again");

        var (unconfirmed, refusal) = await OperatorCli.RunAsync(platform, "dead-letters", "purge", "--all");
        Assert.True(unconfirmed == 1, refusal);
        Assert.StartsWith("✗ Not confirmed", refusal.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(1, await platform.DeadLettersAsync(queue));
        var (purged, purge) = await OperatorCli.RunAsync(platform, "dead-letters", "purge", "--all", "--yes");
        Assert.True(purged == 0, purge);
        // Other tests of the collection may have left dead letters of their own: --all takes them too.
        Assert.Matches(@"[1-9]\d* dead letters purged", purge);
        // The management API's figures trail the broker by a few seconds.
        await Eventually.True(async () => await platform.DeadLettersAsync(queue) == 0, Settle, "the purged queue reads empty");

        var (missing, nothing) = await OperatorCli.RunAsync(platform, "dead-letters", "replay", "no-such-queue");
        Assert.True(missing == 1, nothing);
        Assert.Contains("no-such-queue_error", nothing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reports_every_instance_database_and_queue_and_fails_when_a_part_is_down()
    {
        var (healthy, report) = await OperatorCli.RunAsync(platform, "status");
        Assert.True(healthy == 0, report);
        foreach (var instance in platform.Instances.Values.SelectMany(i => i))
            Assert.Contains(instance.Address.ToString(), report, StringComparison.Ordinal);
        Assert.Contains(platform.DatabasePrefix + "dossier", report, StringComparison.Ordinal);
        Assert.Contains("notification-dossier-received", report, StringComparison.Ordinal);

        var (down, broken) = await OperatorCli.RunAsync(platform, "status", "--postgres", "Host=127.0.0.1;Port=1;Username=nobody");
        Assert.True(down == 1, broken);
    }

    [Fact]
    public async Task The_calendar_is_imported_from_a_csv_file_checked_whole_before_anything_is_sent()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, ["date,kind,name", "2031-01-01,holiday,Tết Dương lịch", "2031-09-02,holiday,Quốc khánh", "2031-01-04,working_saturday,Làm bù"]);
        var (imported, output) = await OperatorCli.RunAsync(platform, "calendar", "import", file);
        Assert.True(imported == 0, output);
        var (_, calendar) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/calendar/2031", await platform.TokenAsync()));
        Assert.Equal(["2031-01-01", "2031-09-02"], calendar.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal(["2031-01-04"], calendar.GetProperty("workingSaturdays").EnumerateArray().Select(d => d.GetString()!).ToArray());

        // Replacing a year that has a calendar asks first; a bad line stops the whole file.
        var (unconfirmed, refusal) = await OperatorCli.RunAsync(platform, "calendar", "import", file);
        Assert.True(unconfirmed == 1, refusal);
        Assert.Contains("Not confirmed", refusal, StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, ["2032-04-30,holiday", "2032-05-01,holday", "2032-05-03,working_saturday"]);
        var (rejected, problems) = await OperatorCli.RunAsync(platform, "calendar", "import", file, "--yes");
        Assert.True(rejected == 1, problems);
        Assert.Contains("line 2", problems, StringComparison.Ordinal);
        Assert.Contains("line 3", problems, StringComparison.Ordinal);
        var (absent, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/calendar/2032", await platform.TokenAsync()));
        Assert.Equal(HttpStatusCode.NotFound, absent);
        File.Delete(file);
    }

    [Fact]
    public async Task Reports_are_exported_as_csv_per_unit_and_a_rebuild_gives_the_same_figures()
    {
        var district = await platform.NewDistrictAsync();
        var commune = await platform.NewCommuneAsync(district);
        var (_, counter) = await platform.OfficialAsync(commune, "counter");
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = await platform.ProcedureAsync("Cấp bản sao trích lục", 3, PlatformFixture.OneStopSteps(2, 14, 6, 2)),
            unitId = commune, channel = "counter", applicant = new { fullName = "Đinh Văn Xuất", idNumber = "001099000777" },
        }));
        Assert.True(status == HttpStatusCode.Created, dossier.ToString());
        var month = dossier.GetProperty("receivedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7))
            .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        async Task<JsonElement> Report() =>
            (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{commune}?period={month}", await platform.TokenAsync()))).Body;
        await Eventually.True(async () => (await Report()).GetProperty("received").GetInt64() == 1, Settle, "counted");

        var folder = Path.Combine(Path.GetTempPath(), "motcua-reports-" + Guid.NewGuid().ToString("N")[..8]);
        var (exported, output) = await OperatorCli.RunAsync(platform, "reports", "export", "--unit", district.ToString(), "--period", month, "--out", folder);
        Assert.True(exported == 0, output);
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).ToList();
        Assert.Equal(3, files.Count);
        Assert.Contains(files, f => f!.EndsWith($"-{month}-rankings.csv", StringComparison.Ordinal));
        var (_, unit) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/units/{commune}", await platform.TokenAsync()));
        var communeCsv = await File.ReadAllLinesAsync(Path.Combine(folder, $"{unit.GetProperty("code").GetString()}-{month}.csv"));
        Assert.True(communeCsv.Length >= 2, string.Join('\n', communeCsv));
        Directory.Delete(folder, recursive: true);

        var (bad, badPeriod) = await OperatorCli.RunAsync(platform, "reports", "export", "--unit", district.ToString(), "--period", "2026-13", "--out", folder);
        Assert.True(bad == 1, badPeriod);
        Assert.Contains("period", badPeriod, StringComparison.Ordinal);

        var before = (await Report()).ToString();
        var (rebuilt, rebuild) = await OperatorCli.RunAsync(platform, "evaluation", "rebuild", "--yes");
        Assert.True(rebuilt == 0, rebuild);
        Assert.Contains("events replayed", rebuild, StringComparison.Ordinal);
        Assert.Equal(before, (await Report()).ToString());
    }

    private async Task WipeAsync()
    {
        await using var server = Npgsql.NpgsqlDataSource.Create(
            new Npgsql.NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres" }.ConnectionString);
        foreach (var service in new[] { "dossier", "personnel", "evaluation", "notification" })
        {
            await using var drop = server.CreateCommand($"DROP DATABASE \"{platform.DatabasePrefix}{service}\" WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<long> DatabasesLeftAsync()
    {
        await using var server = Npgsql.NpgsqlDataSource.Create(
            new Npgsql.NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres" }.ConnectionString);
        await using var count = server.CreateCommand("SELECT count(*) FROM pg_database WHERE datname LIKE $1");
        count.Parameters.Add(new Npgsql.NpgsqlParameter { Value = platform.DatabasePrefix + "%" });
        return Convert.ToInt64(await count.ExecuteScalarAsync());
    }
}
