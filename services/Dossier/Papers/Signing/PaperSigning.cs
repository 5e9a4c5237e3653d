using System.Security.Cryptography;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// Digital signatures on the papers a unit issues (ký số văn bản), as a layer of its own under every renderer. The one
/// call a renderer needs is <see cref="IssueAsync"/>: it asks whether the unit can sign, renders the paper with the
/// unsigned notice if not, and signs it if so. <see cref="ForUnitAsync"/> and <see cref="SignAsync"/> are its two
/// halves, for a renderer that must hold the answer in between.
/// </summary>
public sealed partial class PaperSigning(
    SignerDirectory directory, NpgsqlDataSource dataSource, TimeProvider time, ILogger<PaperSigning> logger,
    DevelopmentAuthority? authority = null)
{
    /// <summary>
    /// The unit's signer now. With a development authority configured, a unit without a certificate is issued one here,
    /// on its first paper.
    /// </summary>
    public async Task<UnitSigner> ForUnitAsync(Guid unitId, CancellationToken ct)
    {
        var unit = await UnitAsync(unitId, ct);
        var signer = directory.Find(unitId, unit?.Code, time.GetUtcNow());
        if (signer.State == SignerState.Missing && authority is not null && directory.Folder is { } folder && unit is not null)
        {
            await authority.IssueAsync(folder, unitId, unit.Code, unit.Name ?? unit.Code ?? unitId.ToString(), ct);
            signer = directory.Find(unitId, unit.Code, time.GetUtcNow());
        }
        return signer;
    }

    /// <summary>
    /// The rendered paper signed with <paramref name="signer"/>'s certificate, or as it is when the unit cannot sign (it
    /// was rendered with <see cref="UnitSigner.Notice"/>).
    /// </summary>
    public async Task<SignedPaper> SignAsync(UnitSigner signer, byte[] pdf, SignatureDetails details)
    {
        if (!signer.CanSign) return new SignedPaper(pdf, false, null);
        var signed = await PdfSigner.SignAsync(pdf, signer.Credential!, details, time.GetUtcNow());
        return new SignedPaper(signed, true, signer.Certificate!.Subject);
    }

    /// <summary>
    /// Renders and signs one paper of <paramref name="unitId"/>: <paramref name="render"/> gets the line to print when the
    /// paper goes out unsigned (null when it will be signed). A signature that fails (a key the platform cannot use after
    /// all) costs the citizen nothing: the paper is rendered again with a notice saying so, and the failure is logged.
    /// </summary>
    public async Task<SignedPaper> IssueAsync(Guid unitId, Func<string?, byte[]> render, SignatureDetails details, CancellationToken ct)
    {
        var signer = await ForUnitAsync(unitId, ct);
        var pdf = render(signer.Notice);
        try
        {
            return await SignAsync(signer, pdf, details);
        }
        catch (CryptographicException e)
        {
            LogSigningFailed(logger, e, unitId, signer.File);
            return new SignedPaper(render(SignerStates.FailedNotice), false, null);
        }
    }

    [LoggerMessage(LogLevel.Error, "Signing a paper of unit {UnitId} with {File} failed; it goes out unsigned, saying so")]
    private static partial void LogSigningFailed(ILogger logger, Exception e, Guid unitId, string? file);

    private sealed record Unit(string? Code, string? Name);

    private async Task<Unit?> UnitAsync(Guid unitId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.ListAsync(null, "SELECT code, name FROM unit_directory WHERE id = $1",
            row => new Unit(row.NullableString(0), row.NullableString(1)), ct, unitId);
        return rows.FirstOrDefault();
    }
}
