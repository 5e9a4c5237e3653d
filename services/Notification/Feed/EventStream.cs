using System.Text;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;

namespace MotCua.Notification.Feed;

/// <summary>
/// <c>GET /api/events/stream?unitId=</c>: server-sent events for a unit's subtree within the caller's scope
/// (all units for an admin who names none). Each event's <c>event:</c> is the contract name, <c>data:</c>
/// its JSON without personal data, <c>id:</c> its number for <c>Last-Event-ID</c>; a comment line every
/// <c>Feed:HeartbeatSeconds</c> (15) keeps proxies from closing a quiet stream. An official holds at most
/// <c>Feed:MaxStreamsPerOfficial</c> (10) streams at once on one instance: a few tabs and screens are normal, a
/// thousand are someone holding the service's memory.
/// </summary>
public static class EventStream
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Open = new();

    public static void MapEventStream(this IEndpointRouteBuilder app) => app.MapGet("/api/events/stream", Stream);

    private static async Task Stream(
        HttpContext http, Guid? unitId, EventFeed feed, UnitScope scope, IConfiguration configuration, CancellationToken ct)
    {
        var caller = Caller.From(http);
        var root = unitId ?? caller.UnitId;
        if (root is { } unit && !await scope.CoversAsync(caller, unit, ct))
        {
            await Problems.NotFound($"No unit {unit} among yours.").ExecuteAsync(http);
            return;
        }
        if (root is null && !caller.IsAdmin)
        {
            await new FieldErrors().Add("unitId", "Required.").ToResult().ExecuteAsync(http);
            return;
        }
        var limit = configuration.GetValue("Feed:MaxStreamsPerOfficial", 10);
        if (Open.AddOrUpdate(caller.Id, 1, (_, n) => n + 1) > limit)
        {
            Release(caller.Id);
            http.Response.Headers.RetryAfter = "30";
            await Results.Problem($"At most {limit} live streams per official; close another tab or screen first.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http);
            return;
        }
        try
        {
            await FollowAsync(http, caller, root, feed, scope, configuration, ct);
        }
        finally
        {
            Release(caller.Id);
        }
    }

    /// <summary>
    /// A stream outlives the check at its start: it ends when its token expires (the page reconnects with a renewed
    /// one) or, within a heartbeat, when the official's access changes, like any other request would be refused.
    /// </summary>
    private static Task<bool> StillAllowedAsync(HttpContext http, CancellationToken ct) =>
        http.RequestServices.GetService<AccessVersionCheck>() is { } check ? check.StillStandsAsync(http.User, ct) : Task.FromResult(true);

    private static void Release(Guid official)
    {
        if (Open.AddOrUpdate(official, 0, (_, n) => n - 1) <= 0) Open.TryRemove(new KeyValuePair<Guid, int>(official, 0));
    }

    private static async Task FollowAsync(
        HttpContext http, Caller caller, Guid? root, EventFeed feed, UnitScope scope, IConfiguration configuration, CancellationToken ct)
    {
        IReadOnlySet<Guid>? units = root is { } r ? (await scope.SubtreeAsync(r, ct)).ToHashSet() : null;
        long? lastEventId = long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var last) ? last : null;

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var subscriber = feed.Subscribe(units, lastEventId);
        var heartbeat = TimeSpan.FromSeconds(configuration.GetValue("Feed:HeartbeatSeconds", 15.0));
        try
        {
            // The position first, so a client that drops before its first event still resumes from here.
            await http.Response.WriteAsync($"id: {subscriber.Position}\n: connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested && await StillAllowedAsync(http, ct))
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(heartbeat);
                string text;
                try
                {
                    var item = await subscriber.Queue.Reader.ReadAsync(wait.Token);
                    text = $"id: {item.Id}\nevent: {item.Name}\ndata: {item.Json}\n\n";
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    text = ": heartbeat\n\n";
                }
                await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException or IOException)
        {
            // The client left, or fell behind and was dropped: either way the stream ends here.
        }
        finally
        {
            feed.Unsubscribe(subscriber);
        }
    }
}
