using System.Net.Http.Headers;
using System.Text.Json;
using MotCua.Hosting.Http;
using MotCua.Hosting.Security;
using MotCua.Hosting.Time;

namespace MotCua.Gateway.Edge;

/// <summary>
/// <c>/api/admin/clock</c> moves the simulated clock of every instance of every service: the first
/// Dossier instance decides (forward only), then every other instance is given the same offset, so
/// all services read the same time. Absent (404) unless the platform runs with <c>MOTCUA_CLOCK=simulated</c>.
/// </summary>
public static class ClockFanOut
{
    private sealed record ClockState(DateTimeOffset Now, string Offset);

    public static void MapClockFanOut(this IEndpointRouteBuilder app)
    {
        if (!ClockMode.IsSimulated(app.ServiceProvider.GetRequiredService<IConfiguration>())) return;
        var clock = app.MapGroup("/api/admin/clock").RequireAuthorization(Policies.Admin);
        clock.MapGet("", (HttpContext context, ServiceMap services, IHttpClientFactory clients, CancellationToken ct) =>
            Relay(context, clients, HttpMethod.Get, Leader(services), null, ct));
        clock.MapPost("", Move);
    }

    private static Uri Leader(ServiceMap services) => new(services.Destinations["dossier"][0], "/api/admin/clock");

    private static async Task<IResult> Move(
        HttpContext context, ServiceMap services, IHttpClientFactory clients, CancellationToken ct)
    {
        using var body = new StreamReader(context.Request.Body);
        var decided = await Relay(context, clients, HttpMethod.Post, Leader(services), await body.ReadToEndAsync(ct), ct);
        if (decided is not ClockResult { State: { } state }) return decided;

        var followers = services.All.Skip(1).Select(address =>
            Relay(context, clients, HttpMethod.Post, new Uri(address, "/api/admin/clock"),
                JsonSerializer.Serialize(new { offset = state.Offset }), ct));
        var answers = await Task.WhenAll(followers);
        return answers.All(a => a is ClockResult { State: not null })
            ? decided
            : Results.Problem("Some services did not follow the clock; call again to bring them level.",
                statusCode: StatusCodes.Status502BadGateway, title: "Clock not moved everywhere");
    }

    private static async Task<IResult> Relay(
        HttpContext context, IHttpClientFactory clients, HttpMethod method, Uri target, string? json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, target);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(context.Request.Headers.Authorization.ToString());
        if (json is not null) request.Content = new StringContent(json, new MediaTypeHeaderValue("application/json"));
        try
        {
            using var response = await clients.CreateClient("services").SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                return Results.Content(text, response.Content.Headers.ContentType?.ToString(), statusCode: (int)response.StatusCode);
            return new ClockResult(JsonSerializer.Deserialize<ClockState>(text, JsonSerializerOptions.Web));
        }
        catch (HttpRequestException)
        {
            return Problems.Unavailable($"The clock of {target.Authority} did not answer.");
        }
    }

    private sealed class ClockResult(ClockState? state) : IResult
    {
        public ClockState? State { get; } = state;

        public Task ExecuteAsync(HttpContext httpContext) => Results.Ok(State).ExecuteAsync(httpContext);
    }
}
