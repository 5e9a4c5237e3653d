using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MotCua.Tests.Support;

/// <summary>
/// Stands in for the OpenTelemetry collector (outside our walls): a loopback OTLP/HTTP endpoint that
/// keeps every export so a test can look for service names and trace ids in what arrived.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpSink(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<(string Path, byte[] Body)> Exports { get; } = new();

    public static async Task<OtlpSink> StartAsync()
    {
        var port = ServiceProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new OtlpSink(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/v1/{signal}", async (HttpRequest request, string signal) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            sink.Exports.Enqueue(("/v1/" + signal, body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        return sink;
    }

    /// <summary>Whether some trace export contains every one of the given byte strings.</summary>
    public bool HasTraceWith(params byte[][] needles) =>
        Exports.Any(e => e.Path == "/v1/traces" && needles.All(n => e.Body.AsSpan().IndexOf(n) >= 0));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
