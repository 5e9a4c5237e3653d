using Microsoft.AspNetCore.Identity;

namespace MotCua.Personnel.Accounts;

/// <summary>
/// <c>POST /api/auth/token</c> <c>{ username, password }</c> → <c>{ accessToken, expiresIn }</c>. The token
/// carries the official's id, roles and the unit of today's posting. Five failures in a row lock the
/// account for <c>Accounts:LockoutMinutes</c> (15); a disabled official's account logs in no more.
/// </summary>
public static class TokenEndpoint
{
    public sealed record Credentials(string? Username, string? Password);

    public sealed record Token(string AccessToken, int ExpiresIn, string TokenType = "Bearer");

    private const int MaxFailures = 5;

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/auth/token", Issue).AllowAnonymous();

    private static async Task<IResult> Issue(
        Credentials? credentials, NpgsqlDataSource dataSource, TokenIssuer issuer, TimeProvider time, IConfiguration configuration,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Require("username", credentials?.Username, 100).Require("password", credentials?.Password, 200);
        if (errors.Any) return errors.ToResult();
        if (!issuer.IsLocal)
            return Problems.NotFound("Tokens come from the configured OIDC authority, not from MotCua.");

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var account = (await connection.ListAsync(tx, """
            SELECT id, official_id, roles, password_hash, disabled, failed_logins, locked_until
            FROM accounts WHERE lower(username) = lower($1) FOR UPDATE
            """, r => (Id: r.GetGuid(0), Official: r.Nullable<Guid>(1), Roles: r.GetFieldValue<string[]>(2), Hash: r.GetString(3),
            Disabled: r.GetBoolean(4), Failures: r.GetInt32(5), LockedUntil: r.Nullable<DateTime>(6)), ct, credentials!.Username)).SingleOrDefault();
        if (account.Id == Guid.Empty || account.Disabled) return Refused("Wrong username or password.");
        if (account.LockedUntil is { } until && until > now.UtcDateTime)
            return Refused("The account is locked after repeated failed log-ins; try again later.");

        var verified = new PasswordHasher<string>().VerifyHashedPassword(credentials.Username!, account.Hash, credentials.Password!)
            != PasswordVerificationResult.Failed;
        if (!verified)
        {
            var failures = account.Failures + 1;
            DateTimeOffset? lockUntil = failures >= MaxFailures
                ? now.AddMinutes(configuration.GetValue("Accounts:LockoutMinutes", 15))
                : null;
            await connection.ExecuteAsync(tx, "UPDATE accounts SET failed_logins = $2, locked_until = $3 WHERE id = $1",
                ct, account.Id, lockUntil is null ? failures : 0, lockUntil);
            await tx.CommitAsync(ct);
            return Refused("Wrong username or password.");
        }
        await connection.ExecuteAsync(tx, "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1", ct, account.Id);
        Guid? unit = account.Official is { } official
            ? await connection.ScalarAsync<Guid>(tx, """
                SELECT unit_id FROM postings WHERE official_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
                """, ct, official, VietnamTime.Today(time))
            : null;
        await tx.CommitAsync(ct);

        var token = issuer.Issue(account.Official ?? account.Id, credentials.Username!, account.Roles, unit == Guid.Empty ? null : unit);
        return Results.Ok(new Token(token, (int)issuer.Lifetime.TotalSeconds));
    }

    private static IResult Refused(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated");
}
