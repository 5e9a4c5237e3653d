using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Papers.Signing;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// <c>GET /api/dossiers/{code}/apologies</c> and <c>GET /api/dossiers/{code}/apologies/{number}/letter</c>:
/// the printable letter as HTML, or as PDF with <c>Accept: application/pdf</c> (or <c>?format=pdf</c>), the PDF signed with the
/// certificate of the unit that apologises, or saying on the page that it is not.
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
        PaperSigning signing, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        var apology = await connection.QuerySingleOrDefaultAsync(null,
            $"SELECT {Apology.Columns} FROM apologies WHERE dossier_id = @dossierId AND number = @number", new { dossierId = dossier.Id, number },
            Apology.Read, ct);
        if (apology is null) return Problems.NotFound($"No letter {number} for {code}.");
        // The body whose step is at fault apologises (liên thông: the land office, not the receiving commune).
        var agency = await connection.QuerySingleOrDefaultAsync(null, "SELECT name FROM unit_directory WHERE id = @unitId",
            new { unitId = apology.ResponsibleUnitId }, row => row.Get<string?>("name"), ct) ?? "Ủy ban nhân dân";
        var letter = ApologyLetter.Of(dossier, apology, agency);

        var pdf = format == "pdf" || (format is null && http.Request.Headers.Accept.ToString().Contains("application/pdf", StringComparison.Ordinal));
        if (!pdf) return Results.Content(letter.ToHtml(), "text/html; charset=utf-8");
        var fonts = configuration["Letters:FontDirectory"] ?? "/usr/share/fonts/truetype/dejavu";
        var paper = await signing.IssueAsync(apology.ResponsibleUnitId, notice => letter.ToPdf(fonts, notice),
            new SignatureDetails($"{letter.Title} {letter.Number}", agency), ct);
        return Results.File(paper.Pdf, "application/pdf", $"xin-loi-{code}-{number}.pdf");
    }
}
