
namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/dossiers/{code}</c>, within the caller's units. Staff who work dossiers see the applicant
/// and the read is recorded (who, when, why: the <c>X-Access-Reason</c> header); viewers get the
/// contact details masked. <c>GET /api/dossiers/{code}/reads</c> lists the recorded reads (admin).
/// </summary>
public static class Lookup
{
    public sealed record PersonalDataRead(DateTimeOffset At, Guid ReaderId, string ReaderName, string? Reason, string? Address);

    public static void MapDossierLookup(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dossiers/{code}", Get);
        app.MapGet("/api/dossiers/{code}/reads", Reads).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Get(
        string code, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        return Results.Ok(await PresentAsync(connection, dossier, http, time, ct));
    }

    /// <summary>
    /// A dossier as this caller may see it, wherever it is shown (a read, an action's answer, a replayed intake): masked
    /// for a viewer, and for staff the read of the applicant's data is recorded.
    /// </summary>
    public static async Task<DossierView> PresentAsync(NpgsqlConnection connection, DossierView dossier, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var caller = Caller.From(http);
        if (!caller.SeesPersonalData) return dossier with { Applicant = Masked(dossier.Applicant) };
        await connection.RunAsync(null, """
            INSERT INTO personal_data_reads (dossier_id, reader_id, reader_name, at, reason, address)
            VALUES (@dossierId, @readerId, @readerName, @at, @reason, @address)
            """, new
        {
            dossierId = dossier.Id, readerId = caller.Id, readerName = caller.Name, at = time.GetUtcNow(),
            reason = AccessReason(http),
            address = http.ClientAddress(),
        }, ct);
        return dossier;
    }

    /// <summary>Why the caller reads personal data (<c>X-Access-Reason</c>), as recorded with the read.</summary>
    public static string? AccessReason(HttpContext http) =>
        http.Request.Headers["X-Access-Reason"].ToString() is { Length: > 0 } given ? given[..Math.Min(given.Length, 300)] : null;

    private static Applicant Masked(Applicant applicant) => applicant with
    {
        IdNumber = applicant.IdNumber is { } id ? Masking.CitizenId(id) : null,
        Phone = applicant.Phone is { } phone ? Masking.Phone(phone) : null,
        Email = applicant.Email is { } email ? Masking.Email(email) : null,
        Address = null,
    };

    private static async Task<IResult> Reads(string code, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossierId = await connection.QuerySingleOrDefaultAsync(null, "SELECT id FROM dossiers WHERE code = @code", new { code },
            row => row.Get<Guid>("id"), ct);
        if (dossierId == Guid.Empty) return Problems.NotFound($"No dossier {code}.");
        return Results.Ok(await connection.QueryAsync(null, """
            SELECT at, reader_id, reader_name, reason, address FROM personal_data_reads WHERE dossier_id = @dossierId ORDER BY at, id
            """, new { dossierId }, row => new PersonalDataRead(row.Get<DateTimeOffset>("at"), row.Get<Guid>("reader_id"),
            row.Get<string>("reader_name"), row.Get<string?>("reason"), row.Get<string?>("address")), ct));
    }
}
