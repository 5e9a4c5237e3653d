using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MotCua.Tests.Support;

/// <summary>Tokens made by the test itself: forged, expired, or for a role no account has yet.</summary>
public static class Tokens
{
    public static string Create(string signingKey, TimeSpan validFor, string role = "admin", Guid? unitId = null)
    {
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new("sub", Guid.NewGuid().ToString()), new("role", role) };
        if (unitId is { } unit) claims.Add(new Claim("unit", unit.ToString()));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "motcua",
            Audience = "motcua",
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.AddHours(-2),
            NotBefore = now.AddHours(-2),
            Expires = now + validFor,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
