using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace MotCua.Performance;

/// <summary>The platform's backlog: rows waiting in the services' outboxes and messages waiting in RabbitMQ's queues.</summary>
public static class Drain
{
    private static readonly string[] Services = ["dossier", "personnel", "evaluation", "notification"];

    public static async Task<(long Outbox, long Queued)> SampleAsync()
    {
        long outbox = 0;
        foreach (var service in Services)
        {
            await using var connection = new NpgsqlConnection(BenchPlatform.Database(service));
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM outbox WHERE sent_at IS NULL", connection);
            outbox += (long)(await count.ExecuteScalarAsync())!;
        }
        var api = new Uri(Environment.GetEnvironmentVariable("MOTCUA_RABBIT_API") ?? "http://guest:guest@127.0.0.1:55872/");
        using var http = new HttpClient { BaseAddress = new Uri(api.GetLeftPart(UriPartial.Path)) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(api.UserInfo))));
        var queues = await http.GetFromJsonAsync<JsonElement>("api/queues?columns=name,messages");
        var queued = queues.EnumerateArray()
            .Where(q => !q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .Sum(q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
        return (outbox, queued);
    }

    /// <summary>Waits until nothing is waiting anywhere, so the next stage starts from a quiet platform; reports how long it took.</summary>
    public static async Task WaitAsync(SuiteReport report, string when)
    {
        var clock = Stopwatch.StartNew();
        // The management API's figures trail by up to five seconds: zero must hold across two readings that far apart.
        var quietSince = (TimeSpan?)null;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            var (outbox, queued) = await SampleAsync();
            if (outbox + queued == 0) quietSince ??= clock.Elapsed;
            else quietSince = null;
            if (quietSince is { } since && clock.Elapsed - since >= TimeSpan.FromSeconds(6)) break;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Console.WriteLine($"  drained {when} in {(quietSince ?? clock.Elapsed).TotalSeconds:F0} s");
        report.Details[$"drain {when}"] = new { seconds = (quietSince ?? clock.Elapsed).TotalSeconds, drained = quietSince is not null };
    }
}
