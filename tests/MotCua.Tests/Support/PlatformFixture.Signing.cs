namespace MotCua.Tests.Support;

/// <summary>
/// Signing for the run: the Dossier service reads units' PKCS#12 files from a folder of the run's own, and the fixture
/// plays the operator who puts them there, issued by a certificate authority made for the run.
/// </summary>
public partial class PlatformFixture
{
    private readonly Lazy<TestCertificateAuthority> _signingAuthority = new(() => TestCertificateAuthority.Create("MotCua E2E CA"));
    private readonly SemaphoreSlim _trustGate = new(1, 1);
    private string? _trustStore;

    /// <summary>The folder the Dossier service is told of (<c>Signing__Directory</c>); nothing is in it until a test puts a file.</summary>
    public string SignerFolder => Path.Combine(ServiceProcess.RepositoryRoot, ".local", "test", "signing", _run);

    public TestCertificateAuthority SigningAuthority => _signingAuthority.Value;

    /// <summary>Puts <c>{fileName}.p12</c> and its <c>.password</c> in the signer folder, as an operator (or a Kubernetes Secret) would.</summary>
    public async Task GiveSignerAsync(string fileName, byte[] pkcs12, string password)
    {
        Directory.CreateDirectory(SignerFolder);
        await File.WriteAllTextAsync(Path.Combine(SignerFolder, fileName + ".password"), password + "\n");
        await File.WriteAllBytesAsync(Path.Combine(SignerFolder, fileName + ".p12"), pkcs12);
    }

    /// <summary>An NSS database trusting the run's CA, for pdfsig (made once per run).</summary>
    public async Task<string> TrustStoreAsync()
    {
        await _trustGate.WaitAsync();
        try
        {
            return _trustStore ??= await PdfTools.TrustStoreAsync(Path.Combine(SignerFolder, "..", _run + "-nss"), SigningAuthority.Pem);
        }
        finally
        {
            _trustGate.Release();
        }
    }
}
