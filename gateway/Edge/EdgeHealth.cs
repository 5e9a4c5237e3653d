namespace MotCua.Gateway.Edge;

/// <summary>
/// The gateway is ready when every service instance says it is: start scripts wait on this before
/// sending traffic, so no consumer's queue is missing when the first dossier arrives. Anyone may ask; only an admin's
/// token sees the instances' internal addresses.
/// </summary>
public static class EdgeHealth
{
    public sealed record ServiceHealth(
        string Service, int Instance, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Address,
        bool Ready);

    public static void MapEdgeHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "Healthy" })).AllowAnonymous();
        app.MapGet("/health/ready", Ready).AllowAnonymous();
    }

    private static async Task<IResult> Ready(HttpContext http, ServiceMap services, IHttpClientFactory clients, CancellationToken ct)
    {
        var client = clients.CreateClient("services");
        var detailed = http.User.IsInRole(Hosting.Security.MotCuaRoles.Admin);
        var probes = services.Destinations.SelectMany(service => service.Value.Select(async (address, instance) =>
        {
            var shown = detailed ? address.ToString() : null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                using var response = await client.GetAsync(new Uri(address, "/health/ready"), timeout.Token);
                return new ServiceHealth(service.Key, instance + 1, shown, response.IsSuccessStatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return new ServiceHealth(service.Key, instance + 1, shown, false);
            }
        }));
        var results = await Task.WhenAll(probes);
        var ready = results.All(r => r.Ready);
        return Results.Json(new { status = ready ? "Healthy" : "Unhealthy", services = results },
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
