using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MotCua.Hosting.Security;

namespace MotCua.Hosting.Http;

/// <summary>
/// Rate limits by policy: tight per address for the anonymous public look-up and ratings and for the token endpoint,
/// generous per official for authenticated counters. The gateway applies them per route; each service applies the
/// anonymous ones again to its own anonymous endpoints, counted by the address the gateway vouches for
/// (<see cref="ClientAddresses"/>), so a caller who reaches a service directly meets the same limits. Limits come from
/// <c>RateLimits:&lt;policy&gt;:PermitLimit</c> and <c>:WindowSeconds</c>. A refusal is a 429 problem with
/// <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    public const string Public = "public";
    public const string Token = "token";
    public const string Authenticated = "authenticated";

    /// <param name="edge">
    /// The gateway, which names a policy per route. Behind it, every authenticated request counts against its official's
    /// limit again, whatever the endpoint, so going around the gateway gains nothing.
    /// </param>
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder, bool edge)
    {
        var configuration = builder.Configuration;
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"Too many requests; try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests").ExecuteAsync(context.HttpContext);
            };
            options.AddPolicy(Public, context => PerAddress(context, Limit(configuration, Public, 60, 60)));
            options.AddPolicy(Token, context => PerAddress(context, Limit(configuration, Token, 20, 60)));
            RateLimitPartition<string> PerOfficial(HttpContext context, string anonymousKey) =>
                Caller.From(context).Id is var official && official != Guid.Empty
                    ? RateLimitPartition.GetFixedWindowLimiter("official:" + official, _ => Limit(configuration, Authenticated, 6000, 60))
                    : RateLimitPartition.GetFixedWindowLimiter(anonymousKey, _ => Limit(configuration, Authenticated, 6000, 60));
            options.AddPolicy(Authenticated, context => PerOfficial(context, "address:" + context.ClientAddress()));
            // Anonymous callers of a service meet their endpoints' own policies (public, token); this adds nothing for them.
            if (!edge)
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    Caller.From(context).Id != Guid.Empty ? PerOfficial(context, "") : RateLimitPartition.GetNoLimiter("anonymous"));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, FixedWindowRateLimiterOptions limit) =>
        RateLimitPartition.GetFixedWindowLimiter(context.ClientAddress() ?? "unknown", _ => limit);

    private static FixedWindowRateLimiterOptions Limit(IConfiguration configuration, string policy, int permits, int windowSeconds) => new()
    {
        PermitLimit = configuration.GetValue($"RateLimits:{policy}:PermitLimit", permits),
        Window = TimeSpan.FromSeconds(configuration.GetValue($"RateLimits:{policy}:WindowSeconds", windowSeconds)),
        QueueLimit = 0,
    };
}
