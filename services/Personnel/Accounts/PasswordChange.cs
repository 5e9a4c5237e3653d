namespace MotCua.Personnel.Accounts;

/// <summary>
/// A new password: <c>POST /api/auth/password</c> <c>{ currentPassword, newPassword }</c> by the official, answered
/// with fresh tokens because the old ones stop working; <c>POST /api/officials/{id}/password</c> <c>{ newPassword }</c>, a
/// reset by an admin for an official who forgot theirs. Either way every token and session issued before is refused.
/// </summary>
public static class PasswordChange
{
    public sealed record ChangeRequest(string? CurrentPassword, string? NewPassword);

    public sealed record ResetRequest(string? NewPassword);

    public static void MapPasswordChange(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/password", Change).RequireAuthorization();
        app.MapPost("/api/officials/{id:guid}/password", Reset).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Change(
        ChangeRequest? request, HttpContext http, NpgsqlDataSource dataSource, TokenIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors().Require("currentPassword", request?.CurrentPassword, Credentials.MaxPasswordLength);
        if (errors.Any) return errors.ToResult();
        if (!issuer.IsLocal) return Problems.NotFound("Passwords belong to the configured OIDC authority, not to MotCua.");
        var caller = Caller.From(http);
        var source = http.ClientAddress() ?? "unknown";
        var now = issuer.Now;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = await TokenIssuer.FindAsync(connection, tx, "coalesce(a.official_id, a.id) = $1", caller.Id, VietnamTime.Today(time), ct);
        if (found is not { Disabled: false } account) return Problems.NotFound("No log-in account for this token.");
        var key = Credentials.Normalise(account.Holder.Username);
        if (await LoginThrottle.WaitAsync(connection, tx, key, source, now, ct) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return errors.Add("currentPassword", $"Too many wrong passwords; try again in {seconds} s.").ToThrottled();
        }
        if (!Credentials.Verify(key, account.PasswordHash, request!.CurrentPassword!))
        {
            // A stolen token must not become a way to guess the password.
            await LoginThrottle.FailedAsync(connection, tx, key, source, now, ct);
            await tx.CommitAsync(ct);
            return errors.Add("currentPassword", "Not the current password.").ToResult();
        }
        Credentials.CheckPassword(errors, "newPassword", request.NewPassword, account.Holder.Username);
        if (request.NewPassword == request.CurrentPassword) errors.Add("newPassword", "The same as the current password.");
        if (errors.Any) return errors.ToResult();

        await SetAsync(connection, tx, account.Holder.AccountId, account.Holder.Username, request.NewPassword!, now, time, ct);
        await LoginThrottle.SucceededAsync(connection, tx, key, source, ct);
        var again = await TokenIssuer.FindAsync(connection, tx, "a.id = $1", account.Holder.AccountId, VietnamTime.Today(time), ct);
        var token = await issuer.IssueAsync(connection, tx, again!.Value.Holder, now + issuer.Session, ct);
        await tx.CommitAsync(ct);
        return TokenEndpoint.NoStore(http, token);
    }

    private static async Task<IResult> Reset(Guid id, ResetRequest? request, NpgsqlDataSource dataSource, TokenIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        if (!issuer.IsLocal) return Problems.NotFound("Passwords belong to the configured OIDC authority, not to MotCua.");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = await TokenIssuer.FindAsync(connection, tx, "a.official_id = $1", id, VietnamTime.Today(time), ct);
        if (found is not { } account) return Problems.NotFound($"The official {id} has no log-in account.");
        var errors = new FieldErrors();
        Credentials.CheckPassword(errors, "newPassword", request?.NewPassword, account.Holder.Username);
        if (errors.Any) return errors.ToResult();

        await SetAsync(connection, tx, account.Holder.AccountId, account.Holder.Username, request!.NewPassword!, issuer.Now, time, ct);
        await tx.CommitAsync(ct);
        return Results.NoContent();
    }

    private static async Task SetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid accountId, string username, string password,
        DateTimeOffset changedAt, TimeProvider time, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, "UPDATE accounts SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
            ct, accountId, Credentials.Hash(username, password), changedAt);
        await AccessChange.RaiseForAccountAsync(connection, tx, accountId, time, ct);
    }
}
