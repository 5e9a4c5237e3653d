using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Reliability;

/// <summary>A commune of the run with the three officials a dossier's lifecycle needs.</summary>
public sealed record Commune(Guid Unit, string Counter, string Specialist, string Leader);

/// <summary>One answer the platform gave a counter (status 0: no answer at all, the connection refused or timed out).</summary>
public sealed record Answer(DateTimeOffset At, string What, int Status, bool RetryAfter = false);

/// <summary>
/// The steady load: counters taking dossiers as counter software should, each dossier with its own Idempotency-Key and
/// retried with that key after a 503 or no answer until it gets its 201 (or the 200 naming the dossier an earlier attempt created), and now and then sent twice on purpose; a share carried on to return; now and then a
/// bad input, which must get a 400 whatever else is going on.
/// </summary>
public sealed class CounterLoad(Uri gateway, ChaosScale scale, IReadOnlyList<Commune> communes, string procedure, int seed)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(15) };

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Idempotency-Key → the code of the dossier its 201 named, for every intake that got one.</summary>
    public ConcurrentDictionary<string, string> Accepted { get; } = new();

    /// <summary>Idempotency-Keys answered with two different dossiers: must stay empty.</summary>
    public ConcurrentBag<string> KeyBroken { get; } = [];

    /// <summary>Valid intakes answered with neither a dossier nor a 503: must stay empty.</summary>
    public ConcurrentBag<string> Refused { get; } = [];

    /// <summary>Keys that never got a 201 within <see cref="GiveUpAfter"/>: a counter would have had to take the papers again.</summary>
    public ConcurrentBag<string> Abandoned { get; } = [];

    public ConcurrentBag<string> Returned { get; } = [];

    public int Retries => _retries;

    public int SentTwice => _sentTwice;

    public int BadInputs => _badInputs;

    /// <summary>Bad inputs answered with anything but a 400 (or a 503 first, retried).</summary>
    public ConcurrentBag<string> BadInputsMishandled { get; } = [];

    private int _retries, _badInputs, _sentTwice;

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, scale.Counters).Select(i => CounterAsync(communes[i % communes.Count], new Random(seed + i), stop)));

    private async Task CounterAsync(Commune commune, Random random, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            if (n % 25 == 24) await BadInputAsync(commune);
            var code = await IntakeAsync(commune, n);
            if (code is not null && random.NextDouble() < scale.LifecycleShare) await CarryToReturnAsync(commune, code);
        }
    }

    // The fake SMS provider fails numbers ending 777, 888 and 999 on purpose (for the delivery tests): these never do.
    private static string Phone(Commune commune, int n) => $"091{commune.Unit.GetHashCode() & 0x7:D1}{n / 700 % 1000:D3}{n % 700:D3}";

    private async Task<string?> IntakeAsync(Commune commune, int n)
    {
        var key = Guid.NewGuid().ToString("N");
        var body = new
        {
            procedureCode = procedure, unitId = commune.Unit, channel = "counter",
            applicant = new { fullName = "Phạm Thị Bền Bỉ", idNumber = $"0790{n % 100_000_000:D8}", phone = Phone(commune, n) },
        };
        // Now and then the counter's software sends the same intake again after its 201, as after a double click.
        var sendAgain = n % 10 == 9;
        var started = Stopwatch.StartNew();
        for (var attempt = 0; started.Elapsed < GiveUpAfter; attempt++)
        {
            var (status, json, retryAfter) = await SendAsync(HttpMethod.Post, "/api/dossiers", commune.Counter, body, key, attempt == 0 ? "intake" : "intake retried");
            // 200: an earlier attempt did commit and only its answer was lost; the key found that dossier.
            if (status is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                var code = json.GetProperty("code").GetString()!;
                // The same key must always name the same dossier, whichever attempt's answer arrived.
                var first = Accepted.GetOrAdd(key, code);
                if (first != code) KeyBroken.Add($"{key}: {first} then {code}");
                if (!sendAgain) return code;
                sendAgain = false;
                Interlocked.Increment(ref _sentTwice);
                continue;
            }
            if (status is not (HttpStatusCode.ServiceUnavailable or 0))
            {
                Refused.Add($"{(int)status} {json}");
                return null;
            }
            Interlocked.Increment(ref _retries);
            await Task.Delay(retryAfter);
        }
        Abandoned.Add(key);
        return null;
    }

    /// <summary>
    /// Reception → appraisal → approval → result ready → returned, each move chosen from the dossier's state as read just
    /// before, so a move whose answer was lost is never made twice.
    /// </summary>
    private async Task CarryToReturnAsync(Commune commune, string code)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < GiveUpAfter)
        {
            var (read, dossier, readRetry) = await SendAsync(HttpMethod.Get, $"/api/dossiers/{code}", commune.Counter, null, null, "read");
            if (read != HttpStatusCode.OK)
            {
                await Task.Delay(readRetry);
                continue;
            }
            var status = dossier.GetProperty("status").GetString();
            var step = dossier.TryGetProperty("currentStep", out var current) && current.ValueKind == JsonValueKind.Number ? current.GetInt32() : -1;
            (string Action, string Token)? next = (status, step) switch
            {
                ("received", _) => ("transfer", commune.Counter),
                ("processing", 1) => ("complete-step", commune.Specialist),
                ("processing", 2) => ("approve", commune.Leader),
                ("processing", 3) => ("mark-result-ready", commune.Counter),
                ("resolved", _) => ("return", commune.Counter),
                _ => null,
            };
            if (next is not { } move)
            {
                if (status == "returned") Returned.Add(code);
                return;
            }
            var (acted, _, retryAfter) = await SendAsync(HttpMethod.Post, $"/api/dossiers/{code}/actions/{move.Action}", move.Token, new { }, null, move.Action);
            if (acted != HttpStatusCode.OK) await Task.Delay(retryAfter);
        }
    }

    private async Task BadInputAsync(Commune commune)
    {
        Interlocked.Increment(ref _badInputs);
        var started = Stopwatch.StartNew();
        while (started.Elapsed < GiveUpAfter)
        {
            var (status, _, retryAfter) = await SendAsync(HttpMethod.Post, "/api/dossiers", commune.Counter,
                new { procedureCode = procedure, unitId = commune.Unit, channel = "counter", applicant = new { fullName = "" } },
                Guid.NewGuid().ToString("N"), "bad input");
            if (status == HttpStatusCode.BadRequest) return;
            if (status is not (HttpStatusCode.ServiceUnavailable or 0))
            {
                BadInputsMishandled.Add($"{(int)status}");
                return;
            }
            await Task.Delay(retryAfter);
        }
        BadInputsMishandled.Add("no answer");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan RetryAfter)> SendAsync(
        HttpMethod method, string path, string token, object? body, string? idempotencyKey, string what)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        try
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Answers.Enqueue(new(DateTimeOffset.UtcNow, what, (int)response.StatusCode, response.Headers.RetryAfter is not null));
            // A counter waits as long as it is told to, within reason: the queue at the window keeps growing meanwhile.
            var wait = response.Headers.RetryAfter?.Delta is { } delta ? TimeSpan.FromTicks(Math.Min(delta.Ticks, TimeSpan.FromSeconds(2).Ticks)) : TimeSpan.FromMilliseconds(500);
            return (response.StatusCode, Parse(text), wait);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Answers.Enqueue(new(DateTimeOffset.UtcNow, what, 0));
            return (0, default, TimeSpan.FromMilliseconds(500));
        }
    }

    private static JsonElement Parse(string text)
    {
        try
        {
            return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
