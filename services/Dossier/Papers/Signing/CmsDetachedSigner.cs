using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using PdfSharp.Pdf.Signatures;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// The PKCS#7 detached signature (<c>adbe.pkcs7.detached</c>) over the bytes PDFsharp hands over, with .NET's
/// <see cref="SignedCms"/>. Ours rather than PDFsharp's <c>PdfSharpDefaultSigner</c>: that one takes the signing time
/// from the machine's clock and puts it among the unsigned attributes, where anyone may change it; here it is the
/// platform's time (the simulated clock in demos and tests), signed, and the PKCS#12's issuers ride along.
/// </summary>
public sealed class CmsDetachedSigner(SigningCredential credential, DateTimeOffset signingTime) : IDigitalSigner
{
    private static readonly Oid Sha256 = new("2.16.840.1.101.3.4.2.1", "sha256");

    public string CertificateName => credential.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);

    public Task<int> GetSignatureSizeAsync() => Task.FromResult(credential.SignatureSize);

    public Task<byte[]> GetSignatureAsync(Stream stream)
    {
        // The two ranges around the placeholder, read as one: a paper is tens of kilobytes. PDFsharp's ranged stream has a
        // length and a position but answers CanSeek with an exception, so Stream.CopyTo cannot be used on it.
        var content = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(content);
        return Task.FromResult(Sign(credential, content, signingTime));
    }

    public static byte[] Sign(SigningCredential credential, byte[] content, DateTimeOffset at)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, credential.Certificate)
        {
            DigestAlgorithm = Sha256,
            // The chain comes from the PKCS#12, not from whatever the machine's stores hold.
            IncludeOption = System.Security.Cryptography.X509Certificates.X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.AddRange(credential.Issuers);
        signer.SignedAttributes.Add(new Pkcs9SigningTime(at.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
