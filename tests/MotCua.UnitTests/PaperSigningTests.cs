using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MotCua.Dossier.Papers;
using MotCua.Dossier.Papers.Signing;
using MotCua.UnitTests.Papers;
using MotCua.Tests.Support;

namespace MotCua.UnitTests;

/// <summary>
/// The signing layer without a service around it: what PDFsharp writes is checked with .NET's own CMS verifier here
/// (pdfsig checks it end to end in SigningTests), and the signer directory's answers for each kind of file.
/// </summary>
public sealed partial class PaperSigningTests : IDisposable
{
    private static readonly TestCertificateAuthority Authority = TestCertificateAuthority.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-signing-").FullName;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Letter() => PaperPdf.Render(SamplePapers.All["letter-118"]);

    private void Put(string name, byte[] pkcs12, string? password)
    {
        File.WriteAllBytes(Path.Combine(_folder, name + ".p12"), pkcs12);
        if (password is not null) File.WriteAllText(Path.Combine(_folder, name + ".password"), password + "\n");
    }

    private SignerDirectory Directory_() => new(Options.Create(new SigningOptions { Directory = _folder }));

    [Fact]
    public async Task A_signed_letter_carries_a_detached_pkcs7_over_the_whole_file_but_the_signature_by_the_units_certificate()
    {
        Put("UBND-PHU-MAU", Authority.IssuePkcs12("Ủy ban nhân dân xã Phú Mậu", "mat-khau"), "mat-khau");
        var signer = Directory_().Find(Guid.NewGuid(), "UBND-PHU-MAU", Now);
        Assert.True(signer.CanSign, signer.Problem);
        var signedAt = new DateTimeOffset(2027, 1, 14, 9, 1, 0, TimeSpan.Zero);

        var pdf = await PdfSigner.SignAsync(Letter(), signer.Credential!, new SignatureDetails("Phiếu xin lỗi 2027-0012", "Phú Mậu"), signedAt);

        Assert.True(pdf.AsSpan().IndexOf("/SubFilter/adbe.pkcs7.detached"u8) >= 0 || pdf.AsSpan().IndexOf("/SubFilter /adbe.pkcs7.detached"u8) >= 0);
        var (cms, ranges) = Signature(pdf);
        Assert.Equal(0, ranges[0]);
        Assert.Equal(pdf.Length, ranges[2] + ranges[3]);
        // Only the hex string between the two ranges is left out: its brackets sit at their edges.
        Assert.Equal((byte)'<', pdf[ranges[1]]);
        Assert.Equal((byte)'>', pdf[ranges[2] - 1]);
        cms.CheckSignature(verifySignatureOnly: true);
        var signerInfo = Assert.Single(cms.SignerInfos.Cast<SignerInfo>());
        Assert.Equal(signer.Certificate!.Thumbprint, signerInfo.Certificate!.Thumbprint);
        Assert.Equal("2.16.840.1.101.3.4.2.1", signerInfo.DigestAlgorithm.Value);
        var time = signerInfo.SignedAttributes.Cast<CryptographicAttributeObject>().Single(a => a.Oid.Value == "1.2.840.113549.1.9.5");
        Assert.Equal(signedAt, new DateTimeOffset(new Pkcs9SigningTime(time.Values[0].RawData).SigningTime, TimeSpan.Zero));
        Assert.Contains(cms.Certificates.Cast<X509Certificate2>(), c => c.Thumbprint == Authority.Certificate.Thumbprint);
    }

    [Fact]
    public async Task A_signature_no_longer_matches_once_a_byte_of_the_page_changes()
    {
        Put("UBND-PHU-MAU", Authority.IssuePkcs12("Ủy ban nhân dân xã Phú Mậu", "mat-khau"), "mat-khau");
        var signer = Directory_().Find(Guid.NewGuid(), "UBND-PHU-MAU", Now);
        var pdf = await PdfSigner.SignAsync(Letter(), signer.Credential!, new SignatureDetails("Phiếu xin lỗi", "Phú Mậu"), Now);
        var index = pdf.AsSpan().IndexOf("/Title"u8) + 8;
        pdf[index] ^= 0x01;

        var (cms, _) = Signature(pdf);
        Assert.Throws<CryptographicException>(() => cms.CheckSignature(verifySignatureOnly: true));
    }

    [Fact]
    public void The_directory_answers_for_each_unit_by_code_then_by_id_and_says_why_one_cannot_sign()
    {
        var byId = Guid.NewGuid();
        Put("UBND-A", Authority.IssuePkcs12("Đơn vị A", "a"), "a");
        Put(byId.ToString(), Authority.IssuePkcs12("Đơn vị theo mã định danh", ""), null);
        Put("UBND-EXPIRED", Authority.IssuePkcs12("Hết hạn", "b", Now.AddYears(-3), Now.AddDays(-1)), "b");
        Put("UBND-LATER", Authority.IssuePkcs12("Chưa hiệu lực", "c", Now.AddDays(10), Now.AddYears(2)), "c");
        Put("UBND-WRONG", Authority.IssuePkcs12("Sai mật khẩu", "d"), "not-d");
        Put("UBND-CIPHER", Authority.IssuePkcs12("Chỉ mã hóa", "e", usage: X509KeyUsageFlags.KeyEncipherment), "e");
        Put("UBND-NOKEY", X509CertificateLoader.LoadCertificate(Authority.Certificate.RawData).Export(X509ContentType.Pkcs12, "f"), "f");
        var directory = Directory_();
        SignerState State(string? code, Guid? id = null) => directory.Find(id ?? Guid.NewGuid(), code, Now).State;

        Assert.Equal(SignerState.Ready, State("UBND-A"));
        Assert.Contains("CN=Đơn vị A", directory.Find(Guid.NewGuid(), "UBND-A", Now).Certificate!.Subject);
        Assert.Equal(SignerState.Ready, State("CODE-WITHOUT-FILE", byId));
        Assert.Equal(SignerState.Missing, State("UBND-NONE"));
        Assert.Equal(SignerState.Expired, State("UBND-EXPIRED"));
        Assert.Equal(SignerState.NotYetValid, State("UBND-LATER"));
        Assert.Equal(SignerState.Unusable, State("UBND-WRONG"));
        Assert.Equal(SignerState.Unusable, State("UBND-CIPHER"));
        Assert.Equal(SignerState.Unusable, State("UBND-NOKEY"));
        // A code that would leave the folder is never used as a file name.
        Assert.Equal(SignerState.Missing, State("../UBND-A"));
        Assert.Equal(SignerState.Missing, State(".hidden"));

        var missing = directory.Find(Guid.NewGuid(), "UBND-NONE", Now);
        Assert.Equal("Bản không có chữ ký số: đơn vị chưa cấu hình chứng thư số", missing.Notice);
        Assert.Null(directory.Find(Guid.NewGuid(), "UBND-A", Now).Notice);
        Assert.Contains("hết hạn", directory.Find(Guid.NewGuid(), "UBND-EXPIRED", Now).Notice);
        Assert.Contains("sai mật khẩu", directory.Find(Guid.NewGuid(), "UBND-WRONG", Now).Problem);
    }

    [Fact]
    public void A_file_replaced_under_a_running_service_is_read_again_and_no_folder_means_no_signer()
    {
        Put("UBND-A", Authority.IssuePkcs12("Chứng thư cũ", "a"), "a");
        var directory = Directory_();
        Assert.Contains("Chứng thư cũ", directory.Find(Guid.NewGuid(), "UBND-A", Now).Certificate!.Subject);
        Put("UBND-A", Authority.IssuePkcs12("Chứng thư mới", "b"), "b");
        Assert.Contains("Chứng thư mới", directory.Find(Guid.NewGuid(), "UBND-A", Now).Certificate!.Subject);

        var unconfigured = new SignerDirectory(Options.Create(new SigningOptions()));
        Assert.Equal(SignerState.Missing, unconfigured.Find(Guid.NewGuid(), "UBND-A", Now).State);
    }

    [Fact]
    public async Task The_development_authority_issues_a_unit_its_certificate_once_named_after_the_unit()
    {
        var caFile = Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-ca.p12");
        await File.WriteAllBytesAsync(caFile, Authority.ExportPkcs12("ca-pass"));
        try
        {
            var clock = new FixedTime(Now.AddDays(40));
            var authority = DevelopmentAuthority.Load(caFile, "ca-pass", clock);
            var unit = Guid.NewGuid();
            await authority.IssueAsync(_folder, unit, "T46-X01", "Ủy ban nhân dân xã Phú Mậu", CancellationToken.None);
            var first = await File.ReadAllBytesAsync(Path.Combine(_folder, "T46-X01.p12"));
            await authority.IssueAsync(_folder, unit, "T46-X01", "Ủy ban nhân dân xã Phú Mậu", CancellationToken.None);
            Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(_folder, "T46-X01.p12")));
            // Readable by the service's user only (the platform runs on Linux).
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "T46-X01.p12")));

            // Valid on the wall clock and on the simulated one, forty days ahead.
            var directory = Directory_();
            foreach (var at in new[] { Now, clock.GetUtcNow() })
                Assert.Equal(SignerState.Ready, directory.Find(unit, "T46-X01", at).State);
            var certificate = directory.Find(unit, "T46-X01", Now).Certificate!;
            Assert.Equal("Ủy ban nhân dân xã Phú Mậu", certificate.GetNameInfo(X509NameType.SimpleName, false));
            Assert.Equal(Authority.Certificate.Subject, certificate.Issuer);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Authority.Certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public async Task The_unsigned_notice_stands_at_the_foot_of_every_page_of_the_pdf_and_under_the_html()
    {
        var entries = Enumerable.Range(1, 80).Select(i => new Register.Entry($"000.00.06.H57-310317-{i:0000}", "Cấp Giấy xác nhận tình trạng hôn nhân",
            "Nguyễn Văn Trễ", "Thôn Phò Ninh", "0912345678", "", SamplePapers.Dossier.ReceivedAt, SamplePapers.Dossier.DueAt, null, null, "Đang xử lý")).ToList();
        var notice = SignerState.Missing.Notice()!;
        var register = Register.Of(SamplePapers.Commune, new DateOnly(2031, 3, 1), new DateOnly(2031, 3, 31), entries, Now) with { FootNotice = notice };
        var file = Path.Combine(_folder, "register.pdf");
        await File.WriteAllBytesAsync(file, PaperPdf.Render(register));

        var pages = await PdfTools.RunAsync("pdfinfo", file);
        var count = int.Parse(PageCount().Match(pages.Output).Groups[1].Value);
        Assert.True(count >= 2, pages.Output);
        for (var page = 1; page <= count; page++)
        {
            var (_, text) = await PdfTools.RunAsync("pdftotext", "-f", page.ToString(), "-l", page.ToString(), "-enc", "UTF-8", file, "-");
            Assert.Contains(notice, text);
        }
        Assert.Contains(notice, PaperHtml.Render(register));
        Assert.DoesNotContain(notice, PaperHtml.Render(SamplePapers.All["register"]));
    }

    /// <summary>The CMS in /Contents and the four numbers of /ByteRange, as a validator reads them.</summary>
    private static (SignedCms Cms, int[] Ranges) Signature(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var ranges = ByteRange().Match(text).Groups.Cast<Group>().Skip(1).Select(g => int.Parse(g.Value)).ToArray();
        var hex = text[(ranges[1] + 1)..(ranges[2] - 1)];
        var der = Convert.FromHexString(hex);
        // The placeholder is padded with zeros after the DER value.
        var length = new AsnReader(der, AsnEncodingRules.BER).ReadEncodedValue().Length;
        var signed = pdf[ranges[0]..(ranges[0] + ranges[1])].Concat(pdf[ranges[2]..(ranges[2] + ranges[3])]).ToArray();
        var cms = new SignedCms(new ContentInfo(signed), detached: true);
        cms.Decode(der.AsSpan(0, length));
        return (cms, ranges);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PageCount();

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")]
    private static partial Regex ByteRange();
}
