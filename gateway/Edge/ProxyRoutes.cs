using MotCua.Hosting.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace MotCua.Gateway.Edge;

/// <summary>Every path prefix of docs/api.md and the service that owns it.</summary>
public static class ProxyRoutes
{
    private const string Anonymous = "anonymous";
    private const string Authenticated = "default";

    /// <summary>Path, owning cluster, who may call (checked here and again in the service), rate limit, body limit.</summary>
    private static readonly (string Path, string Cluster, string Auth, string Limit, long Body)[] Table =
    [
        ("/api/auth/{**rest}", "personnel", Anonymous, RateLimits.Token, 4 << 10),
        ("/api/units/{**rest}", "personnel", Authenticated, RateLimits.Authenticated, 64 << 10),
        ("/api/officials/{**rest}", "personnel", Authenticated, RateLimits.Authenticated, 64 << 10),
        ("/api/reports/{**rest}", "personnel", Authenticated, RateLimits.Authenticated, 4 << 10),
        ("/api/positions/{**rest}", "personnel", Authenticated, RateLimits.Authenticated, 64 << 10),
        ("/api/standards/{**rest}", "personnel", Authenticated, RateLimits.Authenticated, 64 << 10),
        ("/api/admin/demo", "personnel", Authenticated, RateLimits.Authenticated, 4 << 10),
        ("/api/admin/sweeper", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/admin/signers", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/calendar/{**rest}", "dossier", Authenticated, RateLimits.Authenticated, 64 << 10),
        ("/api/procedures/{**rest}", "dossier", Authenticated, RateLimits.Authenticated, 256 << 10),
        ("/api/dossiers/{**rest}", "dossier", Authenticated, RateLimits.Authenticated, 256 << 10),
        ("/api/apologies", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/apology-policies/{**rest}", "dossier", Authenticated, RateLimits.Authenticated, 1 << 10),
        ("/api/public/{**rest}", "dossier", Anonymous, RateLimits.Public, 16 << 10),
        ("/api/feedback/{**rest}", "dossier", Authenticated, RateLimits.Authenticated, 16 << 10),
        ("/api/registers", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/workflow", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/dossier-statuses", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/submission-channels", "dossier", Authenticated, RateLimits.Authenticated, 0),
        ("/api/ratings/{**rest}", "evaluation", Anonymous, RateLimits.Public, 8 << 10),
        ("/api/evaluation/rebuild", "evaluation-rebuild", Authenticated, RateLimits.Authenticated, 1 << 10),
        ("/api/evaluation/{**rest}", "evaluation", Authenticated, RateLimits.Authenticated, 64 << 10),
        ("/api/notifications/{**rest}", "notification", Authenticated, RateLimits.Authenticated, 0),
        ("/api/notification-templates/{**rest}", "notification", Authenticated, RateLimits.Authenticated, 16 << 10),
        ("/api/events/{**rest}", "notification-stream", Authenticated, RateLimits.Authenticated, 0),
    ];

    public static WebApplicationBuilder AddProxyRoutes(this WebApplicationBuilder builder)
    {
        var services = new ServiceMap(builder.Configuration);
        builder.Services.AddSingleton(services);
        var timeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Gateway:ActivityTimeoutSeconds", 30));

        var routes = Table.Select((route, i) => new RouteConfig
        {
            RouteId = $"{route.Cluster}-{i}",
            ClusterId = route.Cluster,
            AuthorizationPolicy = route.Auth,
            RateLimiterPolicy = route.Limit,
            MaxRequestBodySize = route.Body,
            Match = new RouteMatch { Path = route.Path },
        })
        // Each service's OpenAPI document, fetched often by integrators' tooling: the generous limit, by address.
        .Concat(ServiceMap.Names.Select(name => ServiceRoute(name, "openapi", $"/openapi/{name}.json", "/openapi/v1.json", Anonymous)))
        // Each service keeps its own audit log; /api/admin/audit/{service} reads one of them.
        .Concat(ServiceMap.Names.Select(name => ServiceRoute(name, "audit", $"/api/admin/audit/{name}", "/api/admin/audit", Authenticated)))
        .ToList();
        var clusters = ServiceMap.Names
            .Select(name => Cluster(name, services.Destinations[name], timeout))
            // The live feed stays open for hours; its heartbeats, not a short timeout, keep it honest.
            .Append(Cluster("notification-stream", services.Destinations["notification"], TimeSpan.FromMinutes(2)))
            // A rebuild replays the whole event log in one transaction: minutes on a province's years of events.
            .Append(Cluster("evaluation-rebuild", services.Destinations["evaluation"], TimeSpan.FromMinutes(30)))
            .ToList();

        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters)
            // X-Forwarded-For is appended to, not replaced: behind an ingress the services still learn the citizen's
            // address, walking the list back through the proxies they trust (ClientAddresses).
            .AddTransforms(context =>
            {
                context.UseDefaultForwarders = false;
                context.AddXForwarded(ForwardedTransformActions.Append);
            })
            // Replicas behind one DNS name (compose --scale) become destinations of their own, balanced and health-checked
            // one by one, and the name is looked up again every so often for replicas that came or went. Left to the
            // connection pool, every connection went to the address the system resolver sorts first: the smoke run saw
            // 38 of 40 intakes on one of two Dossier replicas.
            .AddDnsDestinationResolver(options => options.RefreshPeriod =
                TimeSpan.FromSeconds(builder.Configuration.GetValue("Gateway:DnsRefreshSeconds", 30)))
            // Behind a virtual address (a Kubernetes Service), the balancing is per connection: recycling connections
            // lets new pods take a share.
            .ConfigureHttpClient((_, handler) =>
            {
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(1);
                // What Kestrel decoded as UTF-8 goes on as UTF-8; refused as non-ASCII, it became a 503 clients retried for ever.
                handler.RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8;
            });
        return builder;
    }

    /// <summary>A read-only route to one service's own copy of a resource every service has.</summary>
    private static RouteConfig ServiceRoute(string service, string kind, string path, string servicePath, string auth) => new()
    {
        RouteId = $"{kind}-{service}",
        ClusterId = service,
        AuthorizationPolicy = auth,
        RateLimiterPolicy = RateLimits.Authenticated,
        MaxRequestBodySize = 0,
        Match = new RouteMatch { Path = path },
        Transforms = [new Dictionary<string, string> { ["PathSet"] = servicePath }],
    };

    private static ClusterConfig Cluster(string id, Uri[] destinations, TimeSpan activityTimeout) => new()
    {
        ClusterId = id,
        LoadBalancingPolicy = "PowerOfTwoChoices",
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = activityTimeout },
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(10),
                Timeout = TimeSpan.FromSeconds(5),
                Policy = "ConsecutiveFailures",
                Path = "/health/ready",
            },
        },
        Destinations = destinations.Select((address, i) => (address, i))
            .ToDictionary(d => $"{id}-{d.i}", d => new DestinationConfig { Address = d.address.ToString() }),
    };
}
