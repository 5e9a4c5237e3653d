using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Tests.Support;

/// <summary>
/// A certificate authority made by the test run itself (nothing secret lives in the repository), issuing units' signing
/// certificates as PKCS#12 the way an operator would receive them: the unit's certificate and key, the CA beside them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _certificate;

    private TestCertificateAuthority(X509Certificate2 certificate) => _certificate = certificate;

    public static TestCertificateAuthority Create(string commonName = "MotCua Test CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=MotCua tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        // From long ago, so an already expired certificate can be issued under it too.
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddYears(-10), now.AddYears(20)));
    }

    /// <summary>The CA's certificate, PEM, for a validator to trust (pdfsig's NSS database).</summary>
    public string Pem => _certificate.ExportCertificatePem();

    public X509Certificate2 Certificate => _certificate;

    /// <summary>
    /// A unit's PKCS#12 protected by <paramref name="password"/>: valid from yesterday for ten years unless told otherwise
    /// (the simulated clock of a long run moves ahead of the wall clock), with key usages for signing unless told otherwise.
    /// </summary>
    public byte[] IssuePkcs12(string commonName, string password, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)
    {
        using var key = RSA.Create(2048);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("VN");
        subject.AddOrganizationName("MotCua tests");
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_certificate, notBefore ?? now.AddDays(-1), notAfter ?? now.AddYears(10), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        using var authority = X509CertificateLoader.LoadCertificate(_certificate.RawData);
        return new X509Certificate2Collection { withKey, authority }.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
    }

    /// <summary>The CA itself, key included, as a PKCS#12: what up.sh hands the development authority.</summary>
    public byte[] ExportPkcs12(string password) => _certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);

    public void Dispose() => _certificate.Dispose();
}
