using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace MotCua.Performance;

/// <summary>
/// Signing in and staying signed in through the gateway: a log-in (one password check), a refresh (a token's renewal
/// every quarter hour per open page), and a refused log-in for a real and for an unknown name, whose times must not
/// tell the two apart.
/// </summary>
public static class SignIn
{
    private const int LogIns = 20, Refreshes = 400, Chains = 8;

    public static async Task RunAsync(SuiteReport report)
    {
        var gateway = new Uri(Environment.GetEnvironmentVariable("MOTCUA_GATEWAY") ?? "http://127.0.0.1:8080/");
        using var http = new HttpClient { BaseAddress = gateway };
        var password = Environment.GetEnvironmentVariable("MOTCUA_ADMIN_PASSWORD")!;

        var logIns = new List<double>();
        for (var i = 0; i < LogIns; i++)
        {
            var clock = Stopwatch.StartNew();
            await PostAsync(http, "/api/auth/token", new { username = "admin", password });
            logIns.Add(clock.Elapsed.TotalMilliseconds);
        }
        report.Add(new("sign-in", "log-in through the gateway, p50", Percentile(logIns, 50), "ms", null, null, null, $"p99 {Percentile(logIns, 99):F1} ms, {LogIns} in a row"));

        // Each chain is one page renewing its tokens over and over: every refresh uses the previous answer's token.
        var refreshes = new System.Collections.Concurrent.ConcurrentBag<double>();
        var starts = await Task.WhenAll(Enumerable.Range(0, Chains).Select(_ => PostAsync(http, "/api/auth/token", new { username = "admin", password })));
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(starts.Select(async start =>
        {
            var refresh = start.GetProperty("refreshToken").GetString();
            for (var i = 0; i < Refreshes / Chains; i++)
            {
                var clock = Stopwatch.StartNew();
                var next = await PostAsync(http, "/api/auth/refresh", new { refreshToken = refresh });
                refreshes.Add(clock.Elapsed.TotalMilliseconds);
                refresh = next.GetProperty("refreshToken").GetString();
            }
        }));
        var samples = refreshes.ToList();
        report.Add(new("sign-in", $"refresh, {Chains} pages renewing at once, p50", Percentile(samples, 50), "ms", null, null, null,
            $"p99 {Percentile(samples, 99):F1} ms; {Refreshes / wall.Elapsed.TotalSeconds:F0} refreshes/s"));

        // From an address of its own, so the failures slow no one else; three each, the throttle's free attempts.
        using var outsider = FromAddress("127.0.0.5", gateway);
        var (known, unknown) = (new List<double>(), new List<double>());
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using (await outsider.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "sai-" + i })) known.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            using (await outsider.PostAsJsonAsync("/api/auth/token", new { username = $"khong-ai-{Guid.NewGuid():N}"[..20], password = "sai" }))
                unknown.Add(clock.Elapsed.TotalMilliseconds);
        }
        report.Add(new("sign-in", "refused log-in, a real name, median of 3", Percentile(known, 50), "ms", null, null, null, null));
        report.Add(new("sign-in", "refused log-in, an unknown name, median of 3", Percentile(unknown, 50), "ms", null, null, null,
            "the same password check as a real name: the times tell nothing"));
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static double Percentile(List<double> samples, int percent)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
    }

    private static HttpClient FromAddress(string address, Uri gateway) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = gateway };
}
