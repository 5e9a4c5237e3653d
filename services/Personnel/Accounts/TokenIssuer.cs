using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MotCua.Personnel.Accounts;

/// <summary>
/// The local issuer: signs tokens with <c>Jwt:SigningKey</c> for development and small deployments.
/// Token lifetimes are security, not domain time: they follow the real clock even when the platform
/// runs on the simulated one, or every validator would see tokens from the future.
/// </summary>
public sealed class TokenIssuer(JwtSettings settings, IConfiguration configuration)
{
    public TimeSpan Lifetime { get; } = TimeSpan.FromMinutes(configuration.GetValue("Jwt:LifetimeMinutes", 480));

    public bool IsLocal => settings.SigningKey is not null;

    public string Issue(Guid subject, string name, IEnumerable<string> roles, Guid? unitId)
    {
        var claims = new List<Claim> { new(MotCuaClaims.OfficialId, subject.ToString()), new(MotCuaClaims.Name, name) };
        claims.AddRange(roles.Select(role => new Claim(MotCuaClaims.Role, role)));
        if (unitId is { } unit) claims.Add(new Claim(MotCuaClaims.UnitId, unit.ToString()));
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(settings.SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
