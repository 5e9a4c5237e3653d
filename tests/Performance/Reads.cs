using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace MotCua.Performance;

/// <summary>
/// Reads over a big database: a counter's queue with a million open dossiers in its commune (written straight into the
/// Dossier database, due a year ahead so no sweep touches them), the queue of the land office a tenth of them wait on
/// (liên thông: the office's list is the dossiers whose steps it performs), and the province's evaluation report over a
/// million dossiers of the year (<see cref="EvaluationReport"/>).
/// </summary>
public static class Reads
{
    // Few calls: a queue call over a million dossiers in one commune took over 7 s in the first full run.
    private const int Dossiers = 1_000_000, Warmup = 3, Samples = 20;

    public static async Task RunAsync(SuiteReport report)
    {
        using var admin = await BenchPlatform.AdminClientAsync();
        var now = (await admin.GetFromJsonAsync<JsonElement>("/api/admin/clock")).GetProperty("now").GetDateTimeOffset();
        // A million dossiers is one long COPY; of their steps only the current one is written (the queue reads no other),
        // which keeps the suite within its quarter hour.
        await using var dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(BenchPlatform.Database("dossier")) { CommandTimeout = 1800 }.ConnectionString);
        Console.WriteLine($"  writing {Dossiers:N0} open dossiers into one commune …");
        var seeding = Stopwatch.StartNew();
        await DeadlineStorm.SeedAsync(dataSource, $"queue-{Guid.NewGuid():N}"[..14], Dossiers, now, now.AddYears(1), currentStepOnly: true);
        await using (var vacuum = dataSource.CreateCommand("VACUUM (ANALYZE) dossiers, dossier_steps"))
            await vacuum.ExecuteNonQueryAsync();
        Console.WriteLine($"  written in {seeding.Elapsed.TotalSeconds:F0} s");
        await using (var unitQuery = dataSource.CreateCommand("""
            SELECT d.unit_id, (SELECT id FROM unit_directory WHERE agency_kind = 'land_registration' LIMIT 1)
            FROM dossiers d WHERE d.idempotency_key LIKE 'queue-%' LIMIT 1
            """))
        await using (var reader = await unitQuery.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            var (unit, landOffice) = (reader.GetGuid(0), reader.GetGuid(1));
            await reader.CloseAsync();
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM dossiers WHERE unit_id = $1");
            count.Parameters.Add(new NpgsqlParameter { Value = unit });
            var inUnit = (long)(await count.ExecuteScalarAsync())!;
            await using (var handOver = dataSource.CreateCommand(
                "UPDATE dossier_steps SET unit_id = $2 WHERE dossier_id IN (SELECT id FROM dossiers WHERE unit_id = $1 LIMIT 100000)"))
            {
                handOver.Parameters.Add(new NpgsqlParameter { Value = unit });
                handOver.Parameters.Add(new NpgsqlParameter { Value = landOffice });
                await handOver.ExecuteNonQueryAsync();
            }
            await using (var analyze = dataSource.CreateCommand("ANALYZE dossier_steps"))
                await analyze.ExecuteNonQueryAsync();
            foreach (var (name, path) in new[]
            {
                ("a counter's queue: processing, first page", $"/api/dossiers?unitId={unit}&status=processing"),
                ("a counter's queue: overdue", $"/api/dossiers?unitId={unit}&overdue=true"),
                ("a land office's queue: waiting for it (100,000 liên thông)", $"/api/dossiers?unitId={landOffice}&waiting=true"),
            })
            {
                // Whether a slow call's time is in the database, and in which statement, without a second run to find out.
                await StatementProfile.ResetAsync();
                var times = await TimeAsync(admin, path);
                var inDatabase = (await StatementProfile.ByDatabaseAsync()).GetValueOrDefault("motcua_dossier") / (Warmup + Samples);
                var slowest = (await StatementProfile.TopAsync(10)).FirstOrDefault(s => s.Database == "motcua_dossier");
                report.Add(new("reads", name, times.P99, "ms p99", "≤ 50 ms", times.P99 <= 50, null,
                    $"p50 {times.P50:F1} ms; {inUnit:N0} dossiers in the commune; Dossier database {inDatabase:F1} ms a call" +
                    (slowest is null ? "" : $", most in `{slowest.Query[..Math.Min(70, slowest.Query.Length)]}…` ({slowest.MeanMs:F1} ms mean × {slowest.Calls})")));
            }
        }

        var evaluation = await EvaluationReport.MeasureAsync(Dossiers, Warmup, Samples);
        foreach (var result in evaluation.Where(r => r.Report.StartsWith("province", StringComparison.Ordinal)))
            report.Add(new("reads", $"evaluation report: {result.Report}", result.P99Ms, "ms p99", "≤ 50 ms", result.P99Ms <= 50, null,
                $"p50 {result.P50Ms:F1} ms; {Dossiers:N0} dossiers of the year"));
        report.Details["reads"] = evaluation;
    }

    private static async Task<(double P50, double P99)> TimeAsync(HttpClient http, string path)
    {
        var times = new List<double>();
        for (var i = 0; i < Warmup + Samples; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (i >= Warmup) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2 - 1], times[(int)Math.Ceiling(0.99 * times.Count) - 1]);
    }
}
