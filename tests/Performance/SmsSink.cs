using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MotCua.Performance;

/// <summary>The SMS provider, played on loopback at 127.0.0.1:59090 (where bench.sh points Notification): accepts and counts.</summary>
public sealed class SmsSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _accepted;

    private SmsSink(WebApplication app) => _app = app;

    public int Accepted => Volatile.Read(ref _accepted);

    public static async Task<SmsSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:59090");
        builder.Logging.ClearProviders();
        var sink = new SmsSink(builder.Build());
        sink._app.MapPost("/sms", () =>
        {
            Interlocked.Increment(ref sink._accepted);
            return Results.Ok();
        });
        await sink._app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
