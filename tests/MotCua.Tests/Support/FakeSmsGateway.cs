using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MotCua.Tests.Support;

/// <summary>
/// Stands in for a brand-name SMS provider (outside our walls): a loopback HTTP endpoint that keeps every
/// message it accepts. A number ending in 999 is always refused with 500; one ending in 888 is refused
/// three times, then accepted; one ending in 777 is answered only after five seconds; one ending in 444 is refused for good
/// with 400, as a provider refuses a number it does not serve — failures the tests inject.
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new();

    private FakeSmsGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<(string To, string Text, string? Authorization, string? Reference)> Accepted { get; } = new();

    public int CallsFor(string to) => _calls.GetValueOrDefault(to);

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var port = ServiceProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app, new Uri($"http://127.0.0.1:{port}/sms"));
        app.MapPost("/sms", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(request.Body);
            var to = body!["to"];
            var calls = gateway._calls.AddOrUpdate(to, 1, (_, n) => n + 1);
            if (to.EndsWith("777", StringComparison.Ordinal)) await Task.Delay(TimeSpan.FromSeconds(5));
            if (to.EndsWith("444", StringComparison.Ordinal)) return Results.BadRequest(new { error = "number not served" });
            if (to.EndsWith("999", StringComparison.Ordinal) || (to.EndsWith("888", StringComparison.Ordinal) && calls <= 3))
                return Results.StatusCode(500);
            gateway.Accepted.Enqueue((to, body["text"], request.Headers.Authorization.ToString(), body.GetValueOrDefault("reference")));
            return Results.Ok(new { status = "accepted" });
        });
        await app.StartAsync();
        return gateway;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
