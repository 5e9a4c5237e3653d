using Microsoft.AspNetCore.Identity;
using MotCua.ServiceDefaults.Http;
using Npgsql;

namespace MotCua.Personnel.Accounts;

/// <summary><c>POST /api/auth/token</c> <c>{ username, password }</c> → <c>{ accessToken, expiresIn }</c>.</summary>
public static class TokenEndpoint
{
    public sealed record Credentials(string? Username, string? Password);

    public sealed record Token(string AccessToken, int ExpiresIn, string TokenType = "Bearer");

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/auth/token", Issue).AllowAnonymous();

    private static async Task<IResult> Issue(
        Credentials? credentials, NpgsqlDataSource dataSource, TokenIssuer issuer, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Require("username", credentials?.Username, 100).Require("password", credentials?.Password, 200);
        if (errors.Any) return errors.ToResult();
        if (!issuer.IsLocal)
            return Problems.NotFound("Tokens come from the configured OIDC authority, not from MotCua.");

        await using var command = dataSource.CreateCommand(
            "SELECT id, official_id, unit_id, roles, password_hash, disabled FROM accounts WHERE username = $1");
        command.Parameters.AddWithValue(credentials!.Username!);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.GetBoolean(5)) return Refused();

        var hash = reader.GetString(4);
        if (new PasswordHasher<string>().VerifyHashedPassword(credentials.Username!, hash, credentials.Password!)
            == PasswordVerificationResult.Failed)
            return Refused();

        var subject = reader.IsDBNull(1) ? reader.GetGuid(0) : reader.GetGuid(1);
        Guid? unit = reader.IsDBNull(2) ? null : reader.GetGuid(2);
        var token = issuer.Issue(subject, credentials.Username!, reader.GetFieldValue<string[]>(3), unit);
        return Results.Ok(new Token(token, (int)issuer.Lifetime.TotalSeconds));
    }

    private static IResult Refused() => Results.Problem(
        "Wrong username or password.", statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated");
}
