using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Lateness;
using MotCua.Dossier.Papers;
using MotCua.Dossier.Papers.Signing;

namespace MotCua.Performance;

/// <summary>
/// The time a paper's signature adds, in this process on one thread: the apology letter rendered to PDF (what an unsigned
/// paper costs), and the same letter signed (PDFsharp reads it back and writes it anew with the PKCS#7 signature of an
/// RSA-2048 certificate).
/// </summary>
[MemoryDiagnoser]
public class PaperSigningBenchmark
{
    private Paper _letter = null!;
    private byte[] _pdf = null!;
    private SigningCredential _credential = null!;
    private readonly SignatureDetails _details = new("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết, Số: 42/XL-UBND", "Phú Mậu");

    [GlobalSetup]
    public void Setup()
    {
        var at = new DateTimeOffset(2026, 11, 27, 16, 1, 0, TimeSpan.FromHours(7));
        var dossier = new DossierView(
            Guid.NewGuid(), "000.00.06.H57-261120-0042", "processing", "1.004873.000.00.00.H57", Guid.NewGuid(), "counter",
            new Applicant("Nguyễn Thị Hoà", "001085001122", null, null, null), [], at.AddDays(-7), at, null, 3, [],
            "Cấp Giấy xác nhận tình trạng hôn nhân", 1, "ND118-2025");
        var apology = new Apology("2026-0042", at, "Chờ xác minh tại địa phương khác", dossier.UnitId, "Thẩm định", null, at, at.AddDays(5), true);
        var commune = Decree30.IssuerOf("Xã Phú Mậu", "commune", "Thành phố Huế", "province");
        _letter = ApologyLetter.Of(dossier, apology, commune, new Signatory("Hoàng Thị Ngọc Ánh", "Chủ tịch UBND"), commune);
        _pdf = PaperPdf.Render(_letter);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ủy ban nhân dân xã Phú Mậu, O=MotCua bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        _credential = new SigningCredential(request.CreateSelfSigned(at.AddDays(-1), at.AddYears(2)), []);
    }

    [Benchmark(Baseline = true)]
    public byte[] RenderLetter() => PaperPdf.Render(_letter with { FootNotice = SignerState.Missing.Notice() });

    [Benchmark]
    public byte[] SignLetter() => PdfSigner.SignAsync(_pdf, _credential, _details, DateTimeOffset.UtcNow).GetAwaiter().GetResult();

    public static void Run(SuiteReport report)
    {
        var summary = BenchmarkRunner.Run<PaperSigningBenchmark>(HotPaths.InProcessShortRun);
        foreach (var run in summary.Reports.Where(r => r.ResultStatistics is not null))
        {
            var signing = run.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(SignLetter);
            var ms = run.ResultStatistics!.Mean / 1e6;
            var allocated = run.GcStats.GetBytesAllocatedPerOperation(run.BenchmarkCase);
            report.Add(new("signing",
                signing ? "one paper signed (apology letter, adbe.pkcs7.detached, RSA-2048)" : "one paper rendered unsigned, the notice drawn (apology letter)",
                ms, "ms on one core", null, null, null, $"{1000 / ms:F0} papers/s, {allocated / 1024} KiB allocated"));
        }
    }
}
