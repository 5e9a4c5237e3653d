using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Evaluation.Indicators;
using Npgsql;

namespace MotCua.Performance;

/// <summary>
/// A unit report over a province with a year of data. Writes <c>count</c> dossier outcomes for 2026 across the demo
/// province's communes straight into Evaluation's database (replacing its projections), adds up their counters with
/// the projection's own <see cref="DossierOutcome.Contribution"/>, then times the reports through the gateway:
/// the province, a district and a commune for the year, the province for a month, and the province's rankings.
/// </summary>
public static class EvaluationReport
{
    public sealed record Timing(string Report, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

    public static async Task<int> RunAsync(int count)
    {
        var results = await MeasureAsync(count, 10, 50);
        await BenchPlatform.SaveAsync("evaluation-report", new { dossiers = count, machine = BenchPlatform.Machine, results });
        return 0;
    }

    public static async Task<List<Timing>> MeasureAsync(int count, int warmup, int samples)
    {
        await using var dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(BenchPlatform.Database("evaluation")) { CommandTimeout = 1800 }.ConnectionString);
        using var http = await BenchPlatform.AdminClientAsync();
        var now = (await http.GetFromJsonAsync<JsonElement>("/api/admin/clock")).GetProperty("now").GetDateTimeOffset();

        await using var connection = await dataSource.OpenConnectionAsync();
        var units = await ListAsync(connection, "SELECT id, parent_id, type FROM unit_directory WHERE merged_into IS NULL",
            r => (Id: r.GetGuid(0), Parent: r.IsDBNull(1) ? (Guid?)null : r.GetGuid(1), Type: r.IsDBNull(2) ? "" : r.GetString(2)));
        var communes = units.Where(u => u.Type is "commune" or "ward" or "town").ToList();
        var province = units.Where(u => u.Type == "province").MaxBy(p => communes.Count(c => units.Any(d => d.Id == c.Parent && d.Parent == p.Id)));
        if (communes.Count == 0 || province.Id == Guid.Empty)
        {
            throw new InvalidOperationException("No demo province in Evaluation's directory: start the platform with deploy/local/up.sh --demo.");
        }
        var district = units.First(u => u.Parent == province.Id && u.Type == "district").Id;
        var commune = communes.First(c => c.Parent == district).Id;

        Console.WriteLine($"writing {count:N0} dossiers of 2026 over {communes.Count} communes …");
        var loading = Stopwatch.StartNew();
        await ExecuteAsync(connection, "TRUNCATE dossier_outcomes, unit_period_stats, unit_period_processing, official_period_stats, feedback_outcomes");
        var counters = new UnitCounters();
        var random = new Random(766);
        var yearStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(7));
        var span = (now.AddDays(-3) - yearStart).TotalSeconds;
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY dossier_outcomes (dossier_id, code, unit_id, channel, received_at, due_at, due_set_at, resolved_at, timeliness, processing_seconds,
                returned_at, closed_at, closed_as, apologized_at) FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < count; i++)
            {
                var outcome = Dossier(i, communes[random.Next(communes.Count)].Id, yearStart.AddSeconds(random.NextDouble() * span), now, random);
                counters.Plus(outcome.Contribution());
                if (outcome.ResolvedAt is { } resolved && random.Next(10) < 4)
                    counters.Add(outcome.UnitId!.Value, resolved.AddDays(1), (Counter)((int)Counter.RatedVerySatisfied + random.Next(4)));
                await copy.WriteRowAsync(CancellationToken.None, outcome.Id, outcome.Code, outcome.UnitId, outcome.Channel, Utc(outcome.ReceivedAt),
                    Utc(outcome.DueAt), Utc(outcome.DueSetAt), Utc(outcome.ResolvedAt), outcome.Timeliness, outcome.ProcessingSeconds,
                    Utc(outcome.ReturnedAt), Utc(outcome.ClosedAt), outcome.ClosedAs, Utc(outcome.ApologizedAt));
            }
            await copy.CompleteAsync();
        }
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await counters.SaveAsync(connection, tx, CancellationToken.None);
            await tx.CommitAsync();
        }
        // A year's data has long been vacuumed by the time anyone reports on it; freshly copied rows have not.
        await ExecuteAsync(connection, "VACUUM (ANALYZE) dossier_outcomes, unit_period_stats, unit_period_processing");
        await ExecuteAsync(connection, "CHECKPOINT");
        var rows = await ListAsync(connection, "SELECT (SELECT count(*) FROM unit_period_stats), (SELECT count(*) FROM unit_period_processing)",
            r => (Stats: r.GetInt64(0), Buckets: r.GetInt64(1)));
        Console.WriteLine($"loaded in {loading.Elapsed.TotalSeconds:F0} s: {rows[0].Stats:N0} unit-period rows, {rows[0].Buckets:N0} processing buckets");

        var reports = new (string Name, string Path)[]
        {
            ("province, year 2026", $"/api/evaluation/units/{province.Id}?period=2026"),
            ("province, Q3 2026", $"/api/evaluation/units/{province.Id}?period=2026-Q3"),
            ("province, October 2026", $"/api/evaluation/units/{province.Id}?period=2026-10"),
            ("district, year 2026", $"/api/evaluation/units/{district}?period=2026"),
            ("commune, year 2026", $"/api/evaluation/units/{commune}?period=2026"),
            ("province rankings (districts, officials), 2026", $"/api/evaluation/rankings?unitId={province.Id}&period=2026"),
            ("district rankings (communes, officials), 2026", $"/api/evaluation/rankings?unitId={district}&period=2026"),
        };
        Console.WriteLine($"| report through the gateway ({count:N0} dossiers) | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|");
        var results = new List<Timing>();
        foreach (var (name, path) in reports)
        {
            var times = new List<double>();
            for (var i = 0; i < warmup + samples; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                if (i >= warmup) times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            double At(double q) => times[(int)Math.Ceiling(q * times.Count) - 1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {At(0.5):F1} | {At(0.95):F1} | {At(0.99):F1} | {times[^1]:F1} |"));
            results.Add(new Timing(name, At(0.5), At(0.95), At(0.99), times[^1]));
        }
        var sample = await http.GetFromJsonAsync<JsonElement>(reports[0].Path);
        Console.WriteLine($"province 2026: received {sample.GetProperty("received")}, resolved {sample.GetProperty("resolved")}, " +
            $"overdue pending {sample.GetProperty("overduePending")}, p90 {sample.GetProperty("processingTime").GetProperty("p90WorkingHours")} h");
        return results;
    }

    /// <summary>
    /// One dossier as the projection would hold it: 3% still open (most of them past due), 4% withdrawn, the rest resolved —
    /// one in twelve late and apologised for — and returned; 30% online.
    /// </summary>
    private static DossierOutcome Dossier(int i, Guid unit, DateTimeOffset received, DateTimeOffset now, Random random)
    {
        var due = received.AddDays(3 + random.Next(12));
        var outcome = new DossierOutcome(Guid.NewGuid(), $"BENCH-{i:D8}", unit, random.Next(10) < 3 ? "online" : "counter", received, due, received,
            null, null, null, null, null, null, null, null, null, null, null, null);
        var roll = random.Next(100);
        if (roll < 3) return outcome;
        if (roll < 7) return outcome with { ClosedAt = received.AddDays(1), ClosedAs = "withdrawn" };
        var late = random.Next(12) == 0;
        var resolved = late ? due.AddHours(4 + random.Next(72)) : received + (due - received) * random.NextDouble();
        if (resolved > now) resolved = now;
        return outcome with
        {
            ResolvedAt = resolved, Timeliness = resolved > due ? "late" : "on_time", ProcessingSeconds = 3600L * (1 + random.Next(120)),
            ReturnedAt = resolved.AddHours(2), ApologizedAt = late ? due : null,
        };
    }

    /// <summary>timestamptz takes UTC only.</summary>
    private static object? Utc(DateTimeOffset? instant) => instant?.ToUniversalTime();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }
}
