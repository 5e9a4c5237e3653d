using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// Development only: a local certificate authority (made by <c>deploy/local/up.sh</c>) that issues a unit its signing
/// certificate the first time one of its papers is printed, into the signer directory as an operator's file would be.
/// On first need, not at start-up, because units come and go at run time (the demo province is loaded after the
/// services start; merges and splits make new units), and the service is the one place that learns of each one and
/// knows its name. Enabled only when <c>Signing:DevelopmentAuthority</c> is configured; a production installation
/// never configures it.
/// </summary>
public sealed class DevelopmentAuthority(X509Certificate2 authority, string password, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Subject => authority.Subject;

    /// <summary>Reads the authority's PKCS#12 (certificate and key).</summary>
    public static DevelopmentAuthority Load(string file, string? password, TimeProvider time)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
        if (!certificate.HasPrivateKey) throw new InvalidOperationException($"Signing:DevelopmentAuthority: {file} holds no private key.");
        return new DevelopmentAuthority(certificate, password ?? "", time);
    }

    /// <summary>
    /// Writes <c>{code or id}.p12</c> for the unit, named after it, unless a certificate appeared meanwhile (another
    /// request's). The password file is the authority's own password, the same every time, so a reader never meets a new
    /// file with an old password; each is written beside and then renamed into place.
    /// </summary>
    public async Task IssueAsync(string folder, Guid unitId, string? code, string name, CancellationToken ct)
    {
        var baseName = SignerDirectory.IsPlainName(code) ? code! : unitId.ToString();
        await _gate.WaitAsync(ct);
        try
        {
            if (SignerDirectory.FileNames(unitId, code).Any(n => File.Exists(Path.Combine(folder, n + ".p12")))) return;
            Directory.CreateDirectory(folder);
            await WriteAsync(Path.Combine(folder, baseName + ".password"), Encoding.UTF8.GetBytes(password), ct);
            await WriteAsync(Path.Combine(folder, baseName + ".p12"), Issue(baseName, name), ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private byte[] Issue(string unitCode, string unitName)
    {
        using var key = RSA.Create(2048);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("VN");
        subject.AddOrganizationName("MotCua - chứng thư thử nghiệm");
        subject.AddOrganizationalUnitName(unitCode);
        subject.AddCommonName(unitName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        // Readers check a certificate against the wall clock, the platform against its own (ahead of it in a demo on the
        // simulated clock): the validity covers both, within the authority's own.
        var wall = TimeProvider.System.GetUtcNow();
        var platform = time.GetUtcNow();
        var from = Max((wall < platform ? wall : platform).AddDays(-1), authority.NotBefore.ToUniversalTime());
        var until = Min((wall > platform ? wall : platform).AddYears(2), authority.NotAfter.ToUniversalTime());
        using var issued = request.Create(authority, from, until, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        using var issuer = X509CertificateLoader.LoadCertificate(authority.RawData);
        return new X509Certificate2Collection { withKey, issuer }.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static async Task WriteAsync(string file, byte[] content, CancellationToken ct)
    {
        var beside = file + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        await File.WriteAllBytesAsync(beside, content, ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(beside, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(beside, file, overwrite: true);
    }
}
