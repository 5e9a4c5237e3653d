using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MotCua.Gateway.Edge;

/// <summary>Every path prefix of API.md and the service that owns it.</summary>
public static class ProxyRoutes
{
    private const string Anonymous = "anonymous";
    private const string Authenticated = "default";

    private static readonly (string Path, string Cluster, string Policy)[] Table =
    [
        ("/api/auth/{**rest}", "personnel", Anonymous),
        ("/api/units/{**rest}", "personnel", Authenticated),
        ("/api/officials/{**rest}", "personnel", Authenticated),
        ("/api/reports/{**rest}", "personnel", Authenticated),
        ("/api/positions/{**rest}", "personnel", Authenticated),
        ("/api/standards/{**rest}", "personnel", Authenticated),
        ("/api/admin/demo", "personnel", Authenticated),
        ("/api/calendar/{**rest}", "dossier", Authenticated),
        ("/api/procedures/{**rest}", "dossier", Authenticated),
        ("/api/dossiers/{**rest}", "dossier", Authenticated),
        ("/api/public/{**rest}", "dossier", Anonymous),
        ("/api/ratings/{**rest}", "evaluation", Anonymous),
        ("/api/evaluation/{**rest}", "evaluation", Authenticated),
        ("/api/notifications/{**rest}", "notification", Authenticated),
        ("/api/events/{**rest}", "notification-stream", Authenticated),
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
            AuthorizationPolicy = route.Policy,
            Match = new RouteMatch { Path = route.Path },
        }).ToList();
        var clusters = ServiceMap.Names
            .Select(name => Cluster(name, services.Destinations[name], timeout))
            // The live feed stays open for hours; its heartbeats, not a short timeout, keep it honest.
            .Append(Cluster("notification-stream", services.Destinations["notification"], TimeSpan.FromMinutes(2)))
            .ToList();

        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        return builder;
    }

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
