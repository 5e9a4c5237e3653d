using MotCua.Contracts;
using MotCua.Evaluation.Indicators;
using MotCua.Data.Database;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Data.Messaging;
using Npgsql;

namespace MotCua.Evaluation.Ratings;

/// <summary>
/// <c>POST /api/ratings { dossierCode, level, comment? }</c>: anonymous like the public look-up (the citizen has
/// the code from the receipt) and rate-limited at the gateway; once per returned dossier. 404 for an unknown
/// code, 409 before the dossier is returned or when it is already rated. The rating is logged like an event, so a
/// rebuild of the projections counts it again.
/// </summary>
public static class RateDossier
{
    public sealed record RatingRequest(string? DossierCode, string? Level, string? Comment);

    public static readonly string[] Levels = ["very_satisfied", "satisfied", "neutral", "dissatisfied"];

    public static void MapRateDossier(this IEndpointRouteBuilder app) => app.MapPost("/api/ratings", Rate).AllowAnonymous().RequireRateLimiting(RateLimits.Public);

    private static async Task<IResult> Rate(RatingRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Require("dossierCode", request?.DossierCode, 60);
        if (request?.Level is null || !Levels.Contains(request.Level)) errors.Add("level", "One of: " + string.Join(", ", Levels) + ".");
        if (request?.Comment is { Length: > 1000 }) errors.Add("comment", "At most 1000 characters.");
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var dossier = (await connection.ListAsync(tx, "SELECT dossier_id, unit_id, returned_at FROM dossier_outcomes WHERE code = $1 FOR UPDATE",
            r => (Id: r.GetGuid(0), Unit: r.GetGuid(1), Returned: !r.IsDBNull(2)), ct, request!.DossierCode!.Trim())).SingleOrDefault();
        if (dossier.Id == Guid.Empty) return Problems.NotFound($"No dossier {request.DossierCode}.");
        if (!dossier.Returned) return Problems.Conflict("The dossier has not been returned yet; rate it once you have the result.");
        var now = time.GetUtcNow();
        var inserted = await connection.ExecuteAsync(tx, """
            INSERT INTO ratings (dossier_id, unit_id, level, comment, rated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """, ct, dossier.Id, dossier.Unit, request.Level, request.Comment?.Trim(), now);
        if (inserted == 0) return Problems.Conflict("This dossier has been rated already.");
        var rated = new CitizenRated(Guid.NewGuid(), now, dossier.Id, request.DossierCode.Trim(), dossier.Unit, request.Level!);
        await Outcomes.LogAndApplyAsync([rated], connection, tx, now, ct);
        await Outbox.EnqueueAsync(connection, tx, rated, ct);
        await tx.CommitAsync(ct);
        return Results.Created($"/api/ratings/{request.DossierCode.Trim()}", new { dossierCode = request.DossierCode.Trim(), level = request.Level, ratedAt = now });
    }
}
