namespace MotCua.Dossier.Papers.Signing;

/// <summary>What the signature dictionary says besides the signature: why (/Reason) and where (/Location), in Vietnamese.</summary>
public sealed record SignatureDetails(string Reason, string Location);

/// <summary>
/// A paper as it goes out: signed by <paramref name="Signer"/> (the certificate's subject), or unsigned with the
/// notice printed on it.
/// </summary>
public sealed record SignedPaper(byte[] Pdf, bool Signed, string? Signer);
