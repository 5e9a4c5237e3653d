using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// A unit's certificate with its private key, and the issuers that came with it in the PKCS#12: they travel inside
/// each signature, so a reader that trusts the root can build the chain without fetching anything.
/// </summary>
public sealed class SigningCredential(X509Certificate2 certificate, X509Certificate2Collection issuers)
{
    public X509Certificate2 Certificate { get; } = certificate;

    public X509Certificate2Collection Issuers { get; } = issuers;

    private int _signatureSize;

    /// <summary>
    /// Reads a PKCS#12; throws <see cref="CryptographicException"/> with a Vietnamese message when it cannot sign
    /// (wrong password, damaged, no private key, a certificate not meant for signing).
    /// </summary>
    public static SigningCredential Load(byte[] pkcs12, string? password)
    {
        X509Certificate2Collection all;
        try
        {
            // Ephemeral: the key lives in this process only, never in a key store on disk.
            all = X509CertificateLoader.LoadPkcs12Collection(pkcs12, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.", e);
        }
        // The signing certificate is the one with a key; a CA certificate with its key beside it would be a mistake, not a signer.
        var signer = all.Where(c => c.HasPrivateKey).OrderBy(IsAuthority).FirstOrDefault()
            ?? throw new CryptographicException("Tệp PKCS#12 không có khóa bí mật.");
        if (signer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
            throw new CryptographicException("Chứng thư số không dùng để ký (thiếu digitalSignature/nonRepudiation).");
        var issuers = new X509Certificate2Collection();
        foreach (var other in all)
            if (!ReferenceEquals(other, signer)) issuers.Add(other);
        return new SigningCredential(signer, issuers);
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    /// <summary>
    /// The room a signature needs in the PDF, found once by signing one byte: the placeholder is reserved before the
    /// document's bytes exist. The margin covers what varies between signatures (an ECDSA value's length, a signing
    /// time after 2049 written as GeneralizedTime).
    /// </summary>
    public int SignatureSize
    {
        get
        {
            if (_signatureSize == 0) _signatureSize = CmsDetachedSigner.Sign(this, [0], DateTimeOffset.UnixEpoch).Length + 64;
            return _signatureSize;
        }
    }
}
