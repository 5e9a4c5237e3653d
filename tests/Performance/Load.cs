using System.Diagnostics;
using System.Net;

namespace MotCua.Performance;

/// <summary>What a load produced: requests done, the refused or failed ones, and each success's latency.</summary>
public sealed record LoadResult(int Concurrency, double Seconds, long Succeeded, long Failed, double[] LatenciesMs)
{
    public double PerSecond => Succeeded / Seconds;

    public double Percentile(double q)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}

/// <summary>
/// Load from this process over loopback. Closed loop: a number of callers each sending the next request as soon as the
/// last answered (throughput at a concurrency). Open loop: requests started at a fixed rate whatever the answers
/// (latency at a rate, as counters arrive independently of each other).
/// </summary>
public static class Load
{
    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<LoadResult> ClosedLoopAsync(int concurrency, TimeSpan duration, Func<int, Task<HttpStatusCode>> send)
    {
        var latencies = new List<double>[concurrency];
        long failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            var i = worker;
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                var ok = await TryAsync(send, i);
                if (ok) mine.Add((clock.Elapsed - started).TotalMilliseconds);
                else Interlocked.Increment(ref failed);
                i += concurrency;
            }
        }));
        return new LoadResult(concurrency, clock.Elapsed.TotalSeconds, latencies.Sum(l => l.Count), failed, [.. latencies.SelectMany(l => l)]);
    }

    public static async Task<LoadResult> OpenLoopAsync(double perSecond, TimeSpan duration, Func<int, Task<HttpStatusCode>> send)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        long failed = 0;
        var requests = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (int)(perSecond * duration.TotalSeconds);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var n = i;
            requests.Add(Task.Run(async () =>
            {
                var started = clock.Elapsed;
                if (await TryAsync(send, n)) latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                else Interlocked.Increment(ref failed);
            }));
        }
        await Task.WhenAll(requests);
        return new LoadResult(0, clock.Elapsed.TotalSeconds, latencies.Count, failed, [.. latencies]);
    }

    private static async Task<bool> TryAsync(Func<int, Task<HttpStatusCode>> send, int i)
    {
        try
        {
            return (int)await send(i) is >= 200 and < 300;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
