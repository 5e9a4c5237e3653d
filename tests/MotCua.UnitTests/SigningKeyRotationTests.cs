using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using MotCua.Tests.Support;

namespace MotCua.UnitTests;

/// <summary>
/// Rotating the signing key: tokens signed with a retired key stay valid while it is listed in
/// <c>Jwt:PreviousSigningKeys</c>, and stop being valid once it is dropped.
/// </summary>
public sealed class SigningKeyRotationTests
{
    private const string Old = "the-key-signed-before-the-rotation-0001";
    private const string New = "the-key-that-signs-after-the-rotation-02";

    private static async Task<bool> AcceptsAsync(Dictionary<string, string?> settings, string token)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddJwtAuthentication(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();
        var parameters = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        return (await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters)).IsValid;
    }

    [Fact]
    public async Task A_token_signed_with_the_retired_key_is_accepted_only_while_the_key_is_listed_as_previous()
    {
        var before = Tokens.Create(Old, TimeSpan.FromHours(1));
        var after = Tokens.Create(New, TimeSpan.FromHours(1));

        Assert.True(await AcceptsAsync(new() { ["Jwt:SigningKey"] = New, ["Jwt:PreviousSigningKeys"] = Old }, before));
        Assert.True(await AcceptsAsync(new() { ["Jwt:SigningKey"] = New, ["Jwt:PreviousSigningKeys"] = Old }, after));
        Assert.False(await AcceptsAsync(new() { ["Jwt:SigningKey"] = New }, before));
        Assert.False(await AcceptsAsync(new() { ["Jwt:SigningKey"] = New, ["Jwt:PreviousSigningKeys"] = "" }, Tokens.Create("a-key-nobody-configured-anywhere-000", TimeSpan.FromHours(1))));
    }

    [Fact]
    public void A_previous_key_too_short_to_be_safe_is_refused_at_start()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = New, ["Jwt:PreviousSigningKeys"] = "short",
        }).Build();
        Assert.Throws<InvalidOperationException>(() => JwtSettings.From(settings));
    }
}
