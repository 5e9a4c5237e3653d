using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MotCua.Cli.Platform;

/// <summary>
/// Keeps a long command (a rebuild, a demo day) logged in: access tokens last minutes, so a minute before one ends the
/// handler trades the refresh token for a new pair, as the web pages do.
/// </summary>
public sealed class StayLoggedIn(Uri gateway) : DelegatingHandler(new HttpClientHandler())
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private string? _access;
    private string? _refresh;
    private DateTimeOffset _renewAt;

    /// <summary>Takes the answer of <c>/api/auth/token</c> or <c>/api/auth/refresh</c>.</summary>
    public void Hold(JsonElement token)
    {
        _access = token.GetProperty("accessToken").GetString();
        _refresh = token.TryGetProperty("refreshToken", out var refresh) ? refresh.GetString() : null;
        _renewAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(token.GetProperty("expiresIn").GetInt32()) - Margin;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (_access is not null && !request.RequestUri!.AbsolutePath.StartsWith("/api/auth/", StringComparison.Ordinal))
        {
            if (_refresh is not null && DateTimeOffset.UtcNow >= _renewAt) await RenewAsync(ct);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _access);
        }
        return await base.SendAsync(request, ct);
    }

    private async Task RenewAsync(CancellationToken ct)
    {
        await _renewing.WaitAsync(ct);
        try
        {
            if (DateTimeOffset.UtcNow < _renewAt) return;
            using var renew = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "api/auth/refresh"))
            {
                Content = JsonContent.Create(new { refreshToken = _refresh }),
            };
            using var response = await base.SendAsync(renew, ct);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                throw new OperatorException("The session has ended (the account's access changed); run the command again.");
            // Throttled or Personnel restarting: the token held is good a while yet; try again in a quarter minute.
            if (!response.IsSuccessStatusCode) _renewAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
            else Hold(await response.Content.ReadFromJsonAsync<JsonElement>(ct));
        }
        finally
        {
            _renewing.Release();
        }
    }
}
