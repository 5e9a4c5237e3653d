using System.Net;
using System.Text;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class EdgeTests(PlatformFixture platform)
{
    [Fact]
    public async Task Wrong_password_and_missing_or_forged_tokens_are_refused_at_the_gateway_and_at_the_services()
    {
        var (wrong, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/auth/token", null,
            new { username = "admin", password = "not-the-password" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);

        var forged = Tokens.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', 48))), TimeSpan.FromHours(1));
        var expired = Tokens.Create(platform.SigningKey, TimeSpan.FromHours(-1));
        foreach (var token in new[] { null, forged, expired, "not.a.jwt" })
        {
            var (viaGateway, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/dossiers/X-1", token));
            Assert.Equal(HttpStatusCode.Unauthorized, viaGateway);
            foreach (var service in platform.Services.Values)
            {
                // Defence in depth: a service reached directly checks the token too.
                var (direct, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/dossiers/X-1", token, baseUri: service));
                Assert.Equal(HttpStatusCode.Unauthorized, direct);
            }
        }
    }

    [Fact]
    public async Task The_gateway_reports_ready_echoes_correlation_ids_and_hides_its_server()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(platform.Gateway, "/health/ready"));
        request.Headers.Add("X-Correlation-Id", "counter-42-abc");
        using var response = await platform.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("counter-42-abc", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
        Assert.False(response.Headers.Contains("Server"));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_simulated_clock_moves_every_service_forward_and_never_back()
    {
        var admin = await platform.TokenAsync();
        var (before, start) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/clock", admin));
        Assert.Equal(HttpStatusCode.OK, before);
        var then = start.GetProperty("now").GetDateTimeOffset();

        var (moved, after) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", admin, new { advanceBy = "PT8H" }));
        Assert.Equal(HttpStatusCode.OK, moved);
        var now = after.GetProperty("now").GetDateTimeOffset();
        Assert.InRange(now - then, TimeSpan.FromHours(8), TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        foreach (var service in platform.Services.Values)
        {
            var (_, state) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/clock", admin, baseUri: service));
            Assert.Equal(after.GetProperty("offset").GetString(), state.GetProperty("offset").GetString());
        }

        var (past, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", admin,
            new { advanceTo = then.ToOffset(TimeSpan.FromHours(7)) }));
        Assert.Equal(HttpStatusCode.Conflict, past);
        var (bad, problem) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", admin, new { advanceBy = "eight hours" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("advanceBy", out _));
    }

    [Theory]
    [InlineData("dossier", "/api/dossiers/{code}/actions/{action}")]
    [InlineData("personnel", "/api/reports/staffing")]
    [InlineData("evaluation", "/api/evaluation/units/{unitId}")]
    [InlineData("notification", "/api/notifications")]
    public async Task The_gateway_serves_each_services_openapi_document(string service, string path)
    {
        using var response = await platform.Client.GetAsync(new Uri(platform.Gateway, $"/openapi/{service}.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(path, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_an_admin_moves_the_clock()
    {
        var viewer = Tokens.Create(platform.SigningKey, TimeSpan.FromHours(1), role: "viewer");
        var (status, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", viewer, new { advanceBy = "PT1H" }));
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}
