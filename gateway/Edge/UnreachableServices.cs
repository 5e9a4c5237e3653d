using System.Globalization;
using MotCua.Hosting.Http;
using Yarp.ReverseProxy.Forwarder;

namespace MotCua.Gateway.Edge;

/// <summary>
/// A service that is down, restarting or too slow to answer gets the caller a 503 with Retry-After, never a bare 502
/// or 504: the counter's software knows to try again with the same Idempotency-Key, which is safe whether or not the
/// service committed the first attempt before it went away.
/// </summary>
public static class UnreachableServices
{
    private const int RetryAfterSeconds = 5;

    public static IApplicationBuilder UseUnreachableServices(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Response.HasStarted || context.Features.Get<IForwarderErrorFeature>() is not { } failure) return;
        if (failure.Error is not (ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination
            or ForwarderError.ResponseHeaders or ForwarderError.NoAvailableDestinations)) return;
        // No Clear(): the correlation id already on the answer stays, so a counter's support call can still be traced.
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Unavailable("The service behind this path is not answering just now. Try again shortly; " +
            "a retry with the same Idempotency-Key never takes a dossier twice.").ExecuteAsync(context);
    });
}
