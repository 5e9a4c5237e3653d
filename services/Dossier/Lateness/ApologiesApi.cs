using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Papers;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// <c>GET /api/dossiers/{code}/apologies</c> and <c>GET /api/dossiers/{code}/apologies/{number}/letter</c>:
/// the printable letter as HTML, or as PDF with <c>Accept: application/pdf</c> (or <c>?format=pdf</c>).
/// </summary>
public static class ApologiesApi
{
    public static void MapApologiesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dossiers/{code}/apologies", List);
        app.MapGet("/api/dossiers/{code}/apologies/{number}/letter", Letter);
        app.MapGet("/api/admin/sweeper", (SweeperStatistics statistics) => Results.Ok(statistics.Summarize())).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> List(string code, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        return Results.Ok(await connection.QueryAsync(null, $"SELECT {Apology.Columns} FROM apologies WHERE dossier_id = @dossierId",
            new { dossierId = dossier.Id }, Apology.Read, ct));
    }

    private static async Task<IResult> Letter(
        string code, string number, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, IConfiguration configuration,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        var apology = await connection.QuerySingleOrDefaultAsync(null,
            $"SELECT {Apology.Columns} FROM apologies WHERE dossier_id = @dossierId AND number = @number", new { dossierId = dossier.Id, number },
            Apology.Read, ct);
        if (apology is null) return Problems.NotFound($"No letter {number} for {code}.");
        // The body whose step is at fault apologises (liên thông: the land office, not the receiving commune), signed by its head.
        // Who signs is looked up here, at print time; the letter takes the signer as an input.
        var atFault = await PaperDirectory.IssuerAsync(connection, apology.ResponsibleUnitId, ct);
        var signer = await PaperDirectory.SignatoryAsync(connection, apology.ResponsibleUnitId, apology.IssuedAt, ct);
        var receiving = await PaperDirectory.IssuerAsync(connection, dossier.UnitId, ct);
        if (format is not (null or "html" or "pdf")) return new FieldErrors().Add("format", "Định dạng phải là html hoặc pdf.").ToResult();
        return PapersApi.Deliver(http, format, ApologyLetter.Of(dossier, apology, atFault, signer, receiving), configuration);
    }
}
