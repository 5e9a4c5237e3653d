using System.Globalization;

namespace MotCua.Personnel.Accounts;

/// <summary>
/// Logging in and staying logged in: <c>POST /api/auth/token</c> <c>{ username, password }</c> and
/// <c>POST /api/auth/refresh</c> <c>{ refreshToken }</c>, each answering <see cref="TokenIssuer.Token"/>. The access
/// token carries the official's id, roles, the unit of today's posting and the account's access version. A refresh
/// reads all of them again, and is refused once the account's access changed or the session ended.
/// </summary>
public static class TokenEndpoint
{
    public sealed record LogIn(string? Username, string? Password);

    public sealed record Refresh(string? RefreshToken);

    private const string WrongCredentials = "Wrong username or password.";

    /// <summary>Checked when the name is unknown, so that answer takes as long as a wrong password.</summary>
    private static readonly string NobodysHash = Credentials.Hash("nobody", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", Issue).AllowAnonymous().RequireRateLimiting(RateLimits.Token);
        app.MapPost("/api/auth/refresh", Renew).AllowAnonymous().RequireRateLimiting(RateLimits.Token);
    }

    private static async Task<IResult> Issue(
        LogIn? credentials, HttpContext http, NpgsqlDataSource dataSource, TokenIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Require("username", credentials?.Username, 100).Require("password", credentials?.Password, Credentials.MaxPasswordLength);
        if (errors.Any) return errors.ToResult();
        if (!issuer.IsLocal)
            return Problems.NotFound("Tokens come from the configured OIDC authority, not from MotCua.");

        var key = Credentials.Normalise(credentials!.Username!);
        var source = http.ClientAddress() ?? "unknown";
        var now = issuer.Now;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await LoginThrottle.WaitAsync(connection, tx, key, source, now, ct) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem($"Too many failed log-ins from this address; try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }

        var found = await TokenIssuer.FindAsync(connection, tx, Credentials.Matches("$1"), credentials.Username!, VietnamTime.Today(time), ct);
        var verified = Credentials.Verify(key, found?.PasswordHash ?? NobodysHash, credentials.Password!);
        if (found is not { Disabled: false } account || !verified)
        {
            await LoginThrottle.FailedAsync(connection, tx, key, source, now, ct);
            await tx.CommitAsync(ct);
            return Refused(WrongCredentials);
        }
        await LoginThrottle.SucceededAsync(connection, tx, key, source, ct);
        var token = await issuer.IssueAsync(connection, tx, account.Holder, now + issuer.Session, ct);
        await tx.CommitAsync(ct);
        return NoStore(http, token);
    }

    private static async Task<IResult> Renew(
        Refresh? request, HttpContext http, NpgsqlDataSource dataSource, TokenIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors().Require("refreshToken", request?.RefreshToken, 100);
        if (errors.Any) return errors.ToResult();
        if (!issuer.IsLocal)
            return Problems.NotFound("Tokens come from the configured OIDC authority, not from MotCua.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Used once: the row goes now, and a second use of the same token finds nothing.
        var used = (await connection.ListAsync(tx, """
            DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING account_id, access_version, session_ends
            """, r => (Account: r.GetGuid(0), Version: r.GetInt32(1), Ends: r.GetFieldValue<DateTimeOffset>(2)), ct,
            TokenIssuer.HashOf(request!.RefreshToken!))).SingleOrDefault();
        if (used.Account == Guid.Empty || used.Ends <= issuer.Now)
            return Refused("The session has ended; log in again.");
        var found = await TokenIssuer.FindAsync(connection, tx, "a.id = $1", used.Account, VietnamTime.Today(time), ct);
        if (found is not { Disabled: false } account || account.Holder.AccessVersion != used.Version)
        {
            await tx.CommitAsync(ct);
            return Refused("The account's access changed; log in again.");
        }
        var token = await issuer.IssueAsync(connection, tx, account.Holder, used.Ends, ct);
        await tx.CommitAsync(ct);
        return NoStore(http, token);
    }

    /// <summary>Credentials are never kept by a browser's or a proxy's cache.</summary>
    internal static IResult NoStore(HttpContext http, TokenIssuer.Token token)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(token);
    }

    private static IResult Refused(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated");
}
