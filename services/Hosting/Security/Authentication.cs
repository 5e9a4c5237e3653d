using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace MotCua.Hosting.Security;

public static class Policies
{
    public const string Admin = "admin";
}

/// <summary>The claim names MotCua tokens carry.</summary>
public static class MotCuaClaims
{
    public const string OfficialId = "sub";
    public const string Role = "role";
    public const string UnitId = "unit";
    public const string Name = "name";
    /// <summary>The account's access version when the token was issued (see <see cref="AccessVersionCheck"/>).</summary>
    public const string AccessVersion = "av";
}

/// <summary>
/// JWT bearer validation, the same in the gateway and in every service so a service reached
/// directly still refuses a missing or forged token. <c>Jwt:Authority</c> (with <c>Jwt:Audience</c>)
/// selects any OIDC authority; otherwise the local issuer's symmetric <c>Jwt:SigningKey</c> is used.
/// </summary>
public static class JwtAuthentication
{
    public const string DefaultIssuer = "motcua";
    public const string DefaultAudience = "motcua";

    public static IServiceCollection AddJwtAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = JwtSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.Audience = settings.Audience;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidAudience = settings.Audience,
                NameClaimType = MotCuaClaims.Name,
                RoleClaimType = MotCuaClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (settings.Authority is not null)
            {
                options.Authority = settings.Authority;
                options.RequireHttpsMetadata = settings.Authority.StartsWith("https://", StringComparison.Ordinal);
            }
            else
            {
                options.TokenValidationParameters.ValidIssuer = settings.Issuer;
                options.TokenValidationParameters.IssuerSigningKeys = [settings.SigningKey!, .. settings.PreviousSigningKeys];
                // An OIDC authority revokes its own tokens; ours carry the access version the services compare.
                options.Events = new JwtBearerEvents { OnTokenValidated = AccessVersionCheck.OnTokenValidated };
            }
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, policy => policy.RequireRole("admin"));
        return services;
    }
}

/// <param name="PreviousSigningKeys">
/// Keys still accepted but no longer used to sign (<c>Jwt:PreviousSigningKeys</c>, comma-separated): during a rotation the
/// tokens signed before it stay valid until they expire, so nobody at a counter is logged out mid-dossier.
/// </param>
public sealed record JwtSettings(
    string Issuer, string Audience, string? Authority, SymmetricSecurityKey? SigningKey, IReadOnlyList<SymmetricSecurityKey> PreviousSigningKeys)
{
    public static JwtSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Jwt");
        var authority = section["Authority"];
        var audience = section["Audience"] ?? JwtAuthentication.DefaultAudience;
        if (authority is not null) return new JwtSettings(authority, audience, authority, null, []);

        var key = section["SigningKey"];
        if (string.IsNullOrWhiteSpace(key) || Encoding.UTF8.GetByteCount(key) < 32)
            throw new InvalidOperationException(
                "Jwt:SigningKey must be set to at least 32 bytes (environment: Jwt__SigningKey), or Jwt:Authority to an OIDC authority.");
        var previous = (section["PreviousSigningKeys"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(old => Encoding.UTF8.GetByteCount(old) >= 32
                ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(old))
                : throw new InvalidOperationException("Every key in Jwt:PreviousSigningKeys must be at least 32 bytes."))
            .ToList();
        return new JwtSettings(section["Issuer"] ?? JwtAuthentication.DefaultIssuer, audience, null,
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), previous);
    }
}
