using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace MotCua.Cli.Platform;

/// <summary>The public API through the gateway, logged in as the administrator.</summary>
public static class GatewayClient
{
    public static async Task<HttpClient> LogInAsync(Connection connection, CancellationToken ct, TimeSpan? timeout = null)
    {
        var password = connection.Password;
        if (string.IsNullOrEmpty(password))
        {
            if (Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
                throw new OperatorException("MOTCUA_ADMIN_PASSWORD is not set.");
            password = AnsiConsole.Prompt(new TextPrompt<string>($"Password for {connection.User}:").Secret());
        }
        return await LogInAsync(connection.Gateway, connection.User, password, ct, timeout);
    }

    /// <summary>A client logged in as <paramref name="username"/> that stays logged in (<see cref="StayLoggedIn"/>).</summary>
    public static async Task<HttpClient> LogInAsync(Uri gateway, string username, string password, CancellationToken ct, TimeSpan? timeout = null)
    {
        var session = new StayLoggedIn(gateway);
        var http = new HttpClient(session) { BaseAddress = gateway, Timeout = timeout ?? TimeSpan.FromMinutes(2) };
        session.Hold(await SendAsync(http, HttpMethod.Post, "api/auth/token", new { username, password }, ct));
        return http;
    }

    /// <summary>Sends a request; a refusal becomes an <see cref="OperatorException"/> with the problem's own words.</summary>
    public static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await ExchangeAsync(http, method, path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    public static async Task<HttpResponseMessage> ExchangeAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new OperatorException($"The gateway at {http.BaseAddress} did not answer: {e.Message}");
        }
        if (response.IsSuccessStatusCode) return response;
        using (response) throw await RefusalAsync(response, $"{method} /{path}", ct);
    }

    public static async Task<OperatorException> RefusalAsync(HttpResponseMessage response, string what, CancellationToken ct) =>
        new($"{what}: {(int)response.StatusCode} {Problem(await response.Content.ReadAsStringAsync(ct))}");

    private static string Problem(string text)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<JsonElement>(text);
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : problem.TryGetProperty("title", out var t) ? t.GetString() : text;
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                detail += " " + string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(' ', e.Value.EnumerateArray())}"));
            return detail ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
