using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MotCua.Performance;

/// <summary>
/// The live feed under many watchers: <c>count</c> SSE subscribers held through the gateway while a counter
/// officer takes 100 dossiers; reports how many events reached the subscribers and the Notification
/// process's working set (VmRSS) and peak (VmHWM) from /proc.
/// </summary>
public static class FeedSubscribers
{
    public static async Task<int> RunAsync(int count)
    {
        var gateway = new Uri(Environment.GetEnvironmentVariable("MOTCUA_GATEWAY") ?? "http://127.0.0.1:8080/");
        var pid = int.Parse(await File.ReadAllTextAsync(Environment.GetEnvironmentVariable("MOTCUA_NOTIFICATION_PID_FILE") ?? ".local/pids/notification.pid"));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = count + 10 }) { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
        var admin = await TokenAsync(http, "admin", Environment.GetEnvironmentVariable("MOTCUA_ADMIN_PASSWORD")!);
        var counter = await TokenAsync(http, "t46-d01-01.counter1", "motcua-demo");
        var unit = UnitOf(counter);
        Console.WriteLine($"working set before: {Memory(pid)}");

        var received = 0L;
        using var stop = new CancellationTokenSource();
        var opened = 0;
        var readers = Enumerable.Range(0, count).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            Interlocked.Increment(ref opened);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) Interlocked.Increment(ref received);
            }
            catch (OperationCanceledException)
            {
            }
        }).ToList();
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref opened) < count && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100);
        Console.WriteLine($"{opened:N0} subscribers connected in {clock.Elapsed.TotalSeconds:F1} s; working set: {Memory(pid)}");

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", counter);
        for (var i = 0; i < 100; i++)
        {
            using var response = await http.PostAsJsonAsync("/api/dossiers", new
            {
                procedureCode = "1.001193.000.00.00.H57", unitId = unit, channel = "counter",
                applicant = new { fullName = "Nguyễn Văn Xem", idNumber = "001090000002" },
            });
            response.EnsureSuccessStatusCode();
        }
        var expected = 100L * opened;
        clock.Restart();
        while (Interlocked.Read(ref received) < expected && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(200);
        Console.WriteLine($"| SSE subscribers on one instance | {opened:N0} |");
        Console.WriteLine($"| events delivered to them | {Interlocked.Read(ref received):N0} of {expected:N0} |");
        Console.WriteLine($"| Notification working set with them | {Memory(pid)} |");
        await stop.CancelAsync();
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        return 0;
    }

    private static async Task<string> TokenAsync(HttpClient http, string username, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>The <c>unit</c> claim of a token, read from its payload.</summary>
    private static Guid UnitOf(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonSerializer.Deserialize<JsonElement>(Convert.FromBase64String(payload)).GetProperty("unit").GetGuid();
    }

    private static string Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':')[1].Trim();
        return $"VmRSS {Field("VmRSS")}, peak VmHWM {Field("VmHWM")}";
    }
}
