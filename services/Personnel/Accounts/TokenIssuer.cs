using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MotCua.Personnel.Accounts;

/// <summary>
/// The local issuer: signs access tokens with <c>Jwt:SigningKey</c> for development and small deployments, short-lived
/// (<c>Jwt:LifetimeMinutes</c>, 15) with a refresh token good for the rest of the session (<c>Jwt:SessionHours</c>, 10:
/// a working day). Token lifetimes are security, not domain time: they follow the real clock even when the platform runs
/// on the simulated one, or every validator would see tokens from the future.
/// </summary>
public sealed class TokenIssuer(JwtSettings settings, IConfiguration configuration)
{
    public TimeSpan Lifetime { get; } = TimeSpan.FromMinutes(configuration.GetValue("Jwt:LifetimeMinutes", 15));

    public TimeSpan Session { get; } = TimeSpan.FromHours(configuration.GetValue("Jwt:SessionHours", 10));

    public bool IsLocal => settings.SigningKey is not null;

    /// <summary>The security clock: what tokens, sessions and the log-in throttle are timed by.</summary>
    public DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    /// <summary>What <c>/api/auth/token</c>, <c>/api/auth/refresh</c> and a password change answer.</summary>
    public sealed record Token(string AccessToken, int ExpiresIn, string RefreshToken, int RefreshExpiresIn, string TokenType = "Bearer");

    /// <summary>The account a token is made for, as read at log-in or refresh.</summary>
    public sealed record Holder(Guid AccountId, Guid Subject, string Username, string[] Roles, Guid? UnitId, int AccessVersion);

    /// <summary>
    /// A signed access token and a new refresh token (stored as its hash) ending with the session; in the caller's
    /// transaction, so a refresh that fails leaves the old refresh token in place.
    /// </summary>
    public async Task<Token> IssueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Holder holder, DateTimeOffset sessionEnds, CancellationToken ct)
    {
        var now = Now;
        var refresh = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        await connection.ExecuteAsync(tx, """
            INSERT INTO refresh_tokens (token_hash, account_id, access_version, session_ends) VALUES ($1, $2, $3, $4)
            """, ct, HashOf(refresh), holder.AccountId, holder.AccessVersion, sessionEnds);
        // Ended sessions go as new ones start, so the table holds only live ones.
        await connection.ExecuteAsync(tx, "DELETE FROM refresh_tokens WHERE session_ends < $1", ct, now);
        return new Token(Sign(holder, now), (int)Lifetime.TotalSeconds, refresh, (int)Math.Max(0, (sessionEnds - now).TotalSeconds));
    }

    public static byte[] HashOf(string refreshToken) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(refreshToken));

    private string Sign(Holder holder, DateTimeOffset now)
    {
        var claims = new List<Claim>
        {
            new(MotCuaClaims.OfficialId, holder.Subject.ToString()),
            new(MotCuaClaims.Name, holder.Username),
            new(MotCuaClaims.AccessVersion, holder.AccessVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
        };
        claims.AddRange(holder.Roles.Select(role => new Claim(MotCuaClaims.Role, role)));
        if (holder.UnitId is { } unit) claims.Add(new Claim(MotCuaClaims.UnitId, unit.ToString()));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The account behind a log-in name or a token subject, with the unit of today's posting.</summary>
    public static async Task<(Holder Holder, string PasswordHash, bool Disabled)?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string where, object key, DateOnly today, CancellationToken ct)
    {
        var rows = await connection.ListAsync(tx, $"""
            SELECT a.id, coalesce(a.official_id, a.id), btrim(a.username), a.roles, a.access_version, a.password_hash, a.disabled,
                   (SELECT p.unit_id FROM postings p WHERE p.official_id = a.official_id AND p.valid_from <= $2
                      AND (p.valid_to IS NULL OR p.valid_to > $2) ORDER BY p.valid_from DESC LIMIT 1)
            FROM accounts a WHERE {where} FOR UPDATE OF a
            """, r => (new Holder(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.Nullable<Guid>(7), r.GetInt32(4)),
            r.GetString(5), r.GetBoolean(6)), ct, key, today);
        return rows.Count == 0 ? null : rows[0];
    }
}
