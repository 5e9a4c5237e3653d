namespace MotCua.Gateway.Edge;

/// <summary>
/// The gateway is ready when every service instance says it is: start scripts wait on this before
/// sending traffic, so no consumer's queue is missing when the first dossier arrives.
/// </summary>
public static class EdgeHealth
{
    public sealed record ServiceHealth(string Service, string Address, bool Ready);

    public static void MapEdgeHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "Healthy" })).AllowAnonymous();
        app.MapGet("/health/ready", Ready).AllowAnonymous();
    }

    private static async Task<IResult> Ready(ServiceMap services, IHttpClientFactory clients, CancellationToken ct)
    {
        var client = clients.CreateClient("services");
        var probes = services.Destinations.SelectMany(service => service.Value.Select(async address =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                using var response = await client.GetAsync(new Uri(address, "/health/ready"), timeout.Token);
                return new ServiceHealth(service.Key, address.ToString(), response.IsSuccessStatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return new ServiceHealth(service.Key, address.ToString(), false);
            }
        }));
        var results = await Task.WhenAll(probes);
        var ready = results.All(r => r.Ready);
        return Results.Json(new { status = ready ? "Healthy" : "Unhealthy", services = results },
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
