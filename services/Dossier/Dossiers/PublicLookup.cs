
namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/public/dossiers/{code}</c>: the citizen's look-up with the code from the receipt.
/// Anonymous (rate-limited per address, at the gateway and here) and with nothing personal in it.
/// </summary>
public static class PublicLookup
{
    public sealed record PublicDossier(
        string Code, string ProcedureName, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, DateTimeOffset? NewDueAt,
        bool Apologized);

    public static void MapPublicLookup(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/public/dossiers/{code}", async (string code, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var found = await connection.ListAsync(null,
                "SELECT code, coalesce(procedure_name, procedure_code), status, received_at, due_at, new_due_at FROM dossiers WHERE code = $1",
                r => new PublicDossier(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                    r.Nullable<DateTimeOffset>(4), r.Nullable<DateTimeOffset>(5), !r.IsDBNull(5)), ct, code);
            return found.Count == 1 ? Results.Ok(found[0]) : Problems.NotFound($"No dossier {code}.");
        }).AllowAnonymous().RequireRateLimiting(RateLimits.Public);
}
