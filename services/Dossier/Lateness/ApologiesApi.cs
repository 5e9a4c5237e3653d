using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Papers;
using MotCua.Dossier.Papers.Signing;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// <c>GET /api/dossiers/{code}/apologies</c> and <c>GET /api/dossiers/{code}/apologies/{number}/letter</c>:
/// the printable letter as HTML, or as PDF with <c>Accept: application/pdf</c> (or <c>?format=pdf</c>), the PDF signed with the
/// certificate of the unit that apologises, or saying on the page that it is not; and
/// <c>GET /api/apologies?state=draft&amp;unitId=</c>, the letters waiting for a leader's signature in the caller's units.
/// </summary>
public static class ApologiesApi
{
    /// <summary>The line a draft letter prints at its foot (HTML and PDF): it is not yet signed, by hand or digitally.</summary>
    public const string DraftNotice = "Bản dự thảo, chưa được lãnh đạo đơn vị ký ban hành: không có chữ ký số";

    public static void MapApologiesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dossiers/{code}/apologies", List);
        app.MapGet("/api/dossiers/{code}/apologies/{number}/letter", Letter);
        app.MapGet("/api/apologies", Drafts);
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

    /// <summary>A draft as a leader's queue lists it: the letter and the dossier it is for.</summary>
    public sealed record Draft(string Code, string ProcedureName, Apology Apology);

    private static async Task<IResult> Drafts(
        string? state, Guid? unitId, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, CancellationToken ct)
    {
        if (state is not (null or ApologyStates.Draft))
            return new FieldErrors().Add("state", "Chỉ liệt kê được thư xin lỗi đang chờ ký: state=draft.").ToResult();
        var (covered, units) = await scope.ListedAsync(Caller.From(http), unitId, ct);
        if (!covered) return Problems.NotFound($"Không có đơn vị {unitId} trong phạm vi của bạn.");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var columns = string.Join(", ", Apology.Columns.Split(',', StringSplitOptions.TrimEntries).Select(c => "a." + c));
        return Results.Ok(await connection.QueryAsync(null, $"""
            SELECT d.code, coalesce(d.procedure_name, d.procedure_code) AS procedure_name, {columns}
            FROM apologies a JOIN dossiers d ON d.id = a.dossier_id
            WHERE a.state = 'draft' AND (@units::uuid[] IS NULL OR a.issuing_unit_id = ANY(@units))
            ORDER BY a.drafted_at LIMIT 200
            """, new { units }, row => new Draft(row.Get<string>("code"), row.Get<string>("procedure_name"), Apology.Read(row)), ct));
    }

    private static async Task<IResult> Letter(
        string code, string number, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, IConfiguration configuration,
        PaperSigning signing, CancellationToken ct)
    {
        if (PapersApi.FormatError(format, "html", "pdf") is { } badFormat) return badFormat;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        var apology = await connection.QuerySingleOrDefaultAsync(null,
            $"SELECT {Apology.Columns} FROM apologies WHERE dossier_id = @dossierId AND number = @number", new { dossierId = dossier.Id, number },
            Apology.Read, ct);
        if (apology is null) return Problems.NotFound($"No letter {number} for {code}.");
        // The body at fault apologises in its own name (liên thông: the land office, not the receiving commune), signed by the
        // leader who signed the letter; a letter from before signers were recorded, or a draft, names the unit's head today.
        var issuing = apology.IssuedBy ?? apology.ResponsibleUnitId;
        var atFault = await PaperDirectory.IssuerAsync(connection, issuing, ct);
        var signer = apology.Signer is { } signed ? new Signatory(signed.Name, signed.Title)
            : await PaperDirectory.SignatoryAsync(connection, issuing, apology.IssuedAt ?? apology.DraftedAt ?? apology.PreviousDueAt, ct);
        var receiving = await PaperDirectory.IssuerAsync(connection, dossier.UnitId, ct);
        var letter = ApologyLetter.Of(dossier, apology, atFault, signer, receiving);
        // A draft waits for the leader's signature: the unit's digital signature would pass it off as issued.
        return apology.State == ApologyStates.Draft
            ? await PapersApi.DeliverAsync(http, format, letter with { FootNotice = DraftNotice }, null, configuration, signing, ct)
            : await PapersApi.DeliverAsync(http, format, letter, issuing, configuration, signing, ct);
    }
}
