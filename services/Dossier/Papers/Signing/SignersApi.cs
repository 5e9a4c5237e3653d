namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// <c>GET /api/admin/signers</c> (admin): every open unit and whether its papers are signed, with the certificate's
/// subject, issuer and validity, so the admin sees which units print unsigned papers and why before a citizen does.
/// </summary>
public static class SignersApi
{
    public static void MapSignersApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/signers", List).RequireAuthorization(Policies.Admin);

    private sealed record UnitRow(Guid Id, string? Code, string Name, string? Type);

    private static async Task<IResult> List(
        string? status, SignerDirectory directory, NpgsqlDataSource dataSource, TimeProvider time, IServiceProvider services, CancellationToken ct)
    {
        if (status is not null && !SignerStates.Names.Contains(status))
            return new FieldErrors().Add("status", $"Trạng thái chứng thư số (status) phải là một trong: {string.Join(", ", SignerStates.Names)}.").ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Open units only: a merged or dissolved unit issues no more papers.
        var units = await connection.ListAsync(null, """
            SELECT id, code, name, type FROM unit_directory
            WHERE name IS NOT NULL AND merged_into IS NULL AND (valid_to IS NULL OR valid_to > $1)
            ORDER BY code NULLS LAST, id
            """, row => new UnitRow(row.GetGuid(0), row.NullableString(1), row.GetString(2), row.NullableString(3)), ct, VietnamTime.Today(time));
        var now = time.GetUtcNow();
        var all = units.Select(unit => (Unit: unit, Signer: directory.Find(unit.Id, unit.Code, now))).ToList();
        return Results.Ok(new
        {
            directoryConfigured = directory.Folder is not null,
            // Where a unit without a certificate gets one on its first paper (development only); null in production.
            developmentAuthority = services.GetService<DevelopmentAuthority>()?.Subject,
            counts = SignerStates.Names.ToDictionary(name => name, name => all.Count(u => u.Signer.State.Name() == name)),
            units = all.Where(u => status is null || u.Signer.State.Name() == status).Select(u => new
            {
                unitId = u.Unit.Id,
                code = u.Unit.Code,
                name = u.Unit.Name,
                type = u.Unit.Type,
                status = u.Signer.State.Name(),
                notice = u.Signer.Notice,
                subject = u.Signer.Certificate?.Subject,
                issuer = u.Signer.Certificate?.Issuer,
                serialNumber = u.Signer.Certificate?.SerialNumber,
                notBefore = u.Signer.Certificate is { } c ? new DateTimeOffset(c.NotBefore.ToUniversalTime()) : (DateTimeOffset?)null,
                notAfter = u.Signer.Certificate is { } d ? new DateTimeOffset(d.NotAfter.ToUniversalTime()) : (DateTimeOffset?)null,
                file = u.Signer.File,
                problem = u.Signer.Problem,
            }),
        });
    }
}
