using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace MotCua.Performance;

/// <summary>
/// The deadline storm: <c>count</c> open dossiers all due at one instant (the close of a working day), then
/// the simulated clock passes it. Measures the time until every automatic apology is issued and until every
/// ApologyIssued has left the outbox for RabbitMQ, until every apology's text is in Notification's delivery log,
/// and the sweeper's batch latencies.
/// The dossiers are written straight into the Dossier database (a realistic open dossier with four steps),
/// because what is measured is the sweep, not the intake.
/// </summary>
public static class DeadlineStorm
{
    public sealed record Result(int Dossiers, double? SecondsUntilAllApologised, double? SecondsUntilAllPublished, double? SecondsUntilAllLogged,
        long SweeperBatches, JsonElement BatchP50Ms, JsonElement BatchP99Ms, JsonElement BatchMaxMs);

    public static async Task<int> RunAsync(int count)
    {
        var result = await MeasureAsync(count);
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| dossiers due at one instant | {count:N0} |");
        Console.WriteLine($"| until every apology is issued | {Format(result.SecondsUntilAllApologised)} |");
        Console.WriteLine($"| until every ApologyIssued is published | {Format(result.SecondsUntilAllPublished)} |");
        Console.WriteLine($"| until every apology's text is in the delivery log | {Format(result.SecondsUntilAllLogged)} |");
        Console.WriteLine($"| sweeper batch latency p50 / p99 / max (ms) | {result.BatchP50Ms} / {result.BatchP99Ms} / {result.BatchMaxMs} |");
        await BenchPlatform.SaveAsync("storm", new { date = DateTimeOffset.UtcNow, machine = BenchPlatform.Machine, result });
        return result.SecondsUntilAllLogged is null ? 1 : 0;
    }

    public static async Task<Result> MeasureAsync(int count)
    {
        var database = BenchPlatform.Database("dossier");
        using var http = await BenchPlatform.AdminClientAsync();

        var clock = await http.GetFromJsonAsync<JsonElement>("/api/admin/clock");
        var now = clock.GetProperty("now").GetDateTimeOffset();
        // The storm breaks at the close of a working day a week ahead, as it does at 17:30 every day.
        var local = now.ToOffset(TimeSpan.FromHours(7)).Date.AddDays(7);
        while (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) local = local.AddDays(1);
        var instant = new DateTimeOffset(local.AddHours(17.5), TimeSpan.FromHours(7));

        // Counting while the storm loads the database takes time: generous timeouts, and whole-table counts less what was there.
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { CommandTimeout = 120 }.ConnectionString);
        var batch = $"storm-{Guid.NewGuid():N}"[..14];
        Console.WriteLine($"seeding {count:N0} dossiers due at {instant:yyyy-MM-dd HH:mm zzz} …");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(dataSource, batch, count, now, instant);
        // The delivery log is counted whole (no index serves a code prefix): what it held before the storm is subtracted.
        await using var notifications = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(BenchPlatform.Database("notification")) { CommandTimeout = 120 }.ConnectionString);
        const string apologyTexts = "SELECT count(*) FROM deliveries WHERE template = 'apology-issued'";
        var textsBefore = await ScalarAsync(notifications, apologyTexts, null);
        Console.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:F1} s");

        var before = await http.GetFromJsonAsync<JsonElement>("/api/admin/sweeper");
        var apologiesBefore = await ScalarAsync(dataSource, "SELECT count(*) FROM apologies", null);
        var moved = await http.PostAsJsonAsync("/api/admin/clock", new { advanceTo = instant.AddMinutes(1) });
        moved.EnsureSuccessStatusCode();
        var storm = Stopwatch.StartNew();
        double? allApologised = null, allPublished = null, allLogged = null;
        long apologised = 0, unsent = 0, texts = 0;
        // Each count scans a table the storm is filling, and counting all three every second took a sixth of PostgreSQL's
        // time in the storm: a figure is counted every fifth second while it is far from its end, every second once close.
        bool Close(long value) => value >= count * 9 / 10;
        for (var tick = 0; storm.Elapsed < TimeSpan.FromMinutes(10); tick++)
        {
            var everyFifth = tick % 5 == 0;
            if (allApologised is null && (everyFifth || Close(apologised)))
            {
                apologised = await ScalarAsync(dataSource, "SELECT count(*) FROM apologies", null) - apologiesBefore;
                // Other dossiers may fall due in the same jump of the clock: the storm's own are counted exactly once the total says so.
                if (apologised >= count)
                    apologised = await ScalarAsync(dataSource,
                        "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.idempotency_key LIKE $1", batch + "%");
                if (apologised == count) allApologised = storm.Elapsed.TotalSeconds;
            }
            if (allPublished is null && (everyFifth || allApologised is not null))
            {
                unsent = await ScalarAsync(dataSource,
                    "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND message_type = 'MotCua.Contracts.ApologyIssued'", null);
                if (allApologised is not null && unsent == 0) allPublished = storm.Elapsed.TotalSeconds;
            }
            if (everyFifth || Close(texts))
            {
                texts = await ScalarAsync(notifications, apologyTexts, null) - textsBefore;
                if (texts >= count)
                {
                    allLogged = storm.Elapsed.TotalSeconds;
                    allPublished ??= allLogged;
                    break;
                }
            }
            if (everyFifth)
                Console.WriteLine($"  {storm.Elapsed.TotalSeconds,6:F1} s: {apologised,8:N0} apologised, {unsent,8:N0} waiting in the outbox, {texts,8:N0} texts logged");
            await Task.Delay(1000);
        }
        var after = await http.GetFromJsonAsync<JsonElement>("/api/admin/sweeper");

        return new Result(count, allApologised, allPublished, allLogged,
            after.GetProperty("batches").GetInt64() - before.GetProperty("batches").GetInt64(), after.GetProperty("batchP50Ms"), after.GetProperty("batchP99Ms"), after.GetProperty("batchMaxMs"));
    }

    private static string Format(double? seconds) => seconds is { } s ? $"{s:F1} s" : "not reached in 10 min";

    /// <summary>
    /// Writes the open dossiers straight into the Dossier database, all due at <paramref name="due"/>, in their second step
    /// (appraisal); with <paramref name="currentStepOnly"/> only that step's row is written, all a queue reads of them.
    /// </summary>
    public static async Task SeedAsync(NpgsqlDataSource dataSource, string batch, int count, DateTimeOffset now, DateTimeOffset due, bool currentStepOnly = false)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var unit = await new NpgsqlCommand("SELECT id FROM unit_directory WHERE agency_code IS NOT NULL AND type IN ('commune', 'ward', 'town') LIMIT 1", connection).ExecuteScalarAsync() as Guid?
            ?? throw new InvalidOperationException("The Dossier service knows no unit with an agency code: load the demo (up.sh --demo) first.");
        var agency = (string)(await new NpgsqlCommand("SELECT agency_code FROM unit_directory WHERE id = $1", connection)
            { Parameters = { new() { Value = unit } } }.ExecuteScalarAsync())!;
        var received = now.UtcDateTime;
        var dueUtc = due.UtcDateTime;
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY dossiers (id, code, procedure_code, procedure_version, procedure_name, unit_id, channel, status, applicant, papers,
                received_at, rule_set, version, idempotency_key, due_at, current_step, at_risk_at, at_risk_step, next_check_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(ids[i]);
                await copy.WriteAsync($"{agency}-{batch[6..]}-{i:D6}");
                await copy.WriteAsync("1.004873.000.00.00.H57");
                await copy.WriteAsync(1);
                await copy.WriteAsync("Cấp Giấy xác nhận tình trạng hôn nhân");
                await copy.WriteAsync(unit);
                await copy.WriteAsync("counter");
                await copy.WriteAsync("processing");
                await copy.WriteAsync("""{"fullName":"Nguyễn Văn Bão","idNumber":"001090000001","phone":"0912000111"}""", NpgsqlDbType.Jsonb);
                await copy.WriteAsync("[]", NpgsqlDbType.Jsonb);
                await copy.WriteAsync(received, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("ND118-2025");
                await copy.WriteAsync(1);
                await copy.WriteAsync($"{batch}-{i}");
                await copy.WriteAsync(dueUtc, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(1);
                await copy.WriteAsync(dueUtc.AddHours(-8), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(1);
                await copy.WriteAsync(dueUtc, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        (string Name, string Role, double Hours)[] steps = [("Tiếp nhận", "counter", 2), ("Thẩm định, xác minh", "specialist", 14), ("Phê duyệt", "leader", 6), ("Trả kết quả", "counter", 2)];
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY dossier_steps (dossier_id, index, name, role, hours, due_at, started_at, completed_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in ids)
                for (var s = currentStepOnly ? 1 : 0; s < (currentStepOnly ? 2 : steps.Length); s++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id);
                    await copy.WriteAsync(s);
                    await copy.WriteAsync(steps[s].Name);
                    await copy.WriteAsync(steps[s].Role);
                    await copy.WriteAsync((decimal)steps[s].Hours, NpgsqlDbType.Numeric);
                    await copy.WriteAsync(dueUtc.AddHours(s - 3), NpgsqlDbType.TimestampTz);
                    if (s <= 1) await copy.WriteAsync(received, NpgsqlDbType.TimestampTz); else await copy.WriteNullAsync();
                    if (s == 0) await copy.WriteAsync(received, NpgsqlDbType.TimestampTz); else await copy.WriteNullAsync();
                }
            await copy.CompleteAsync();
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, object? arg)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (arg is not null) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
