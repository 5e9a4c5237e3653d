using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Digitally signed papers through the gateway: the apology letter (and the receipt, and the control sheet) of a unit whose
/// certificate the operator put in the signer folder is signed with it, as pdfsig (a reader outside the platform)
/// validates; a unit without one prints unsigned papers that say so, and the admin's list of signers shows which units
/// are which; a draft letter is never signed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SigningTests(PlatformFixture platform)
{
    private const string Unsigned = "Bản không có chữ ký số: đơn vị chưa cấu hình chứng thư số";
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(20);

    private async Task<JsonElement> SignersAsync(string query = "")
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/signers" + query, await platform.TokenAsync()));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private async Task<JsonElement> SignerRowAsync(Guid unit) =>
        (await SignersAsync()).GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetGuid() == unit);

    /// <summary>
    /// pdfsig's report on <paramref name="pdf"/> after checking that its first signature is valid, made with the certificate
    /// named <paramref name="commonName"/>, and chains to the run's CA.
    /// </summary>
    private async Task<string> AssertSignedByAsync(string pdf, string commonName)
    {
        var report = await PdfTools.SignaturesAsync(pdf, await platform.TrustStoreAsync());
        Assert.Contains("Signature #1:", report);
        Assert.Contains($"Signer Certificate Common Name: {commonName}", report);
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", report);
        return report;
    }

    /// <summary>A dossier received at <paramref name="unit"/>'s counter, under a procedure of its own of <paramref name="days"/> working days.</summary>
    private async Task<JsonElement> IntakeAsync(Guid unit, string counter, int days)
    {
        var procedure = await platform.ProcedureAsync("Xác nhận thử nghiệm ký số", days, PlatformFixture.OneStopSteps(1, days * 8 - 3, 1, 1));
        var (created, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = unit, channel = "counter",
            applicant = new { fullName = "Trần Thị Ngọc Ánh", idNumber = "001190004455", phone = "0905123456" },
        }));
        Assert.True(created == HttpStatusCode.Created, dossier.ToString());
        return dossier;
    }

    /// <summary>
    /// A dossier of <paramref name="unit"/> let fall due on the simulated clock: its code, the PDF of its automatic apology
    /// letter saved for the tools, and the counter officer's token.
    /// </summary>
    private async Task<(string Code, string Pdf, string Counter)> LetterPdfAsync(Guid unit)
    {
        var counter = (await platform.OfficialAsync(unit, "counter")).Token;
        var dossier = await IntakeAsync(unit, counter, 1);
        var code = dossier.GetProperty("code").GetString()!;
        await platform.AdvanceClockToAsync(dossier.GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1));
        var number = await Eventually.Get(async () =>
        {
            var (_, apologies) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter));
            return apologies.ValueKind == JsonValueKind.Array && apologies.GetArrayLength() == 1 ? apologies[0].GetProperty("number").GetString() : null;
        }, Seconds, "the automatic apology");
        Assert.Equal(unit, (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter))).Body[0]
            .GetProperty("responsibleUnitId").GetGuid());

        return (code, await SavedPdfAsync($"/api/dossiers/{code}/apologies/{number}/letter", counter), counter);
    }

    /// <summary>A paper's PDF as the gateway answers it, saved for pdfsig and pdftotext.</summary>
    private async Task<string> SavedPdfAsync(string path, string token)
    {
        using var request = platform.Request(HttpMethod.Get, path, token);
        request.Headers.Accept.ParseAdd("application/pdf");
        using var response = await platform.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var file = Path.Combine(platform.SignerFolder, "..", $"letter-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        return file;
    }

    [Fact]
    public async Task The_letter_of_a_unit_with_a_certificate_is_signed_with_it_and_pdfsig_finds_the_signature_valid_and_trusted()
    {
        var unit = await platform.NewCommuneAsync();
        var before = await SignerRowAsync(unit);
        Assert.Equal("missing", before.GetProperty("status").GetString());
        Assert.Equal(Unsigned, before.GetProperty("notice").GetString());

        // The operator names the file after the unit's code, as the admin's list shows it.
        var code = before.GetProperty("code").GetString()!;
        var commonName = $"Ủy ban nhân dân xã Thử Nghiệm {code[^4..]}";
        var pkcs12 = platform.SigningAuthority.IssuePkcs12(commonName, "mat-khau-chung-thu");
        await platform.GiveSignerAsync(code, pkcs12, "mat-khau-chung-thu");
        using var certificate = X509CertificateLoader.LoadPkcs12(pkcs12, "mat-khau-chung-thu");

        var after = await SignerRowAsync(unit);
        Assert.Equal("ready", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("notice").ValueKind);
        Assert.Equal(certificate.Subject, after.GetProperty("subject").GetString());
        Assert.Equal(platform.SigningAuthority.Certificate.Subject, after.GetProperty("issuer").GetString());
        Assert.Equal(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), after.GetProperty("notAfter").GetDateTimeOffset());
        Assert.Equal(code + ".p12", after.GetProperty("file").GetString());

        var (dossier, pdf, counter) = await LetterPdfAsync(unit);
        var report = await AssertSignedByAsync(pdf, commonName);
        Assert.DoesNotContain("Signature #2:", report);
        Assert.Contains("Signature Type: adbe.pkcs7.detached", report);
        Assert.Contains("Signing Hash Algorithm: SHA-256", report);
        Assert.Contains("Total document signed", report);
        var text = await PdfTools.TextAsync(pdf);
        Assert.Contains("XIN LỖI", text);
        Assert.DoesNotContain("Bản không có chữ ký số", text);

        // Every other paper of the unit goes through the same signature: the receipt (Form 01) and the control sheet.
        foreach (var paper in new[] { $"/api/dossiers/{dossier}/forms/01", $"/api/dossiers/{dossier}/history?format=pdf" })
            await AssertSignedByAsync(await SavedPdfAsync(paper, counter), commonName);
    }

    [Fact]
    public async Task The_letter_of_a_unit_without_a_signer_goes_out_unsigned_saying_so_and_the_admin_sees_which_units_lack_one()
    {
        var unit = await platform.NewCommuneAsync();
        var (dossier, pdf, counter) = await LetterPdfAsync(unit);

        var report = await PdfTools.SignaturesAsync(pdf, await platform.TrustStoreAsync());
        Assert.Contains("does not contain any signatures", report);
        var text = await PdfTools.TextAsync(pdf);
        Assert.Contains("XIN LỖI", text);
        Assert.Contains(Unsigned, text);
        var receipt = await SavedPdfAsync($"/api/dossiers/{dossier}/forms/01", counter);
        Assert.Contains("does not contain any signatures", await PdfTools.SignaturesAsync(receipt, await platform.TrustStoreAsync()));
        Assert.Contains(Unsigned, await PdfTools.TextAsync(receipt));

        // Two more units whose files cannot sign: an expired certificate, and a password that does not open the file.
        var expired = await platform.NewCommuneAsync();
        var wrongPassword = await platform.NewCommuneAsync();
        await platform.GiveSignerAsync(expired.ToString(), platform.SigningAuthority.IssuePkcs12("Đơn vị hết hạn", "a",
            DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddDays(-1)), "a");
        await platform.GiveSignerAsync(wrongPassword.ToString(), platform.SigningAuthority.IssuePkcs12("Đơn vị sai mật khẩu", "b"), "not-b");

        var missing = await SignersAsync("?status=missing");
        Assert.True(missing.GetProperty("directoryConfigured").GetBoolean());
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("developmentAuthority").ValueKind);
        var row = missing.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetGuid() == unit);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("subject").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("notAfter").ValueKind);
        Assert.All(missing.GetProperty("units").EnumerateArray(), u => Assert.Equal("missing", u.GetProperty("status").GetString()));
        Assert.True(missing.GetProperty("counts").GetProperty("missing").GetInt32() >= 1);

        var expiredRow = await SignerRowAsync(expired);
        Assert.Equal("expired", expiredRow.GetProperty("status").GetString());
        Assert.Contains("CN=Đơn vị hết hạn", expiredRow.GetProperty("subject").GetString());
        Assert.True(expiredRow.GetProperty("notAfter").GetDateTimeOffset() < DateTimeOffset.UtcNow);
        Assert.Equal("Bản không có chữ ký số: chứng thư số của đơn vị đã hết hạn", expiredRow.GetProperty("notice").GetString());
        var wrongRow = await SignerRowAsync(wrongPassword);
        Assert.Equal("unusable", wrongRow.GetProperty("status").GetString());
        Assert.Contains("sai mật khẩu", wrongRow.GetProperty("problem").GetString());

        var (bad, problem) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/signers?status=valid", await platform.TokenAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("Trạng thái chứng thư số", problem.GetProperty("errors").GetProperty("status")[0].GetString());
        var officer = (await platform.OfficialAsync(unit, "leader")).Token;
        var (forbidden, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/signers", officer));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
    }

    [Fact]
    public async Task A_draft_is_never_signed_and_the_letter_its_leader_signs_carries_the_units_signature()
    {
        var unit = await platform.NewCommuneAsync();
        // Named by the unit's id this time, the name that survives a change of code.
        await platform.GiveSignerAsync(unit.ToString(), platform.SigningAuthority.IssuePkcs12("Ủy ban nhân dân xã Dự Thảo", "mat-khau"), "mat-khau");
        var counter = (await platform.OfficialAsync(unit, "counter")).Token;
        var specialist = (await platform.OfficialAsync(unit, "specialist")).Token;
        var leader = (await platform.OfficialAsync(unit, "leader")).Token;
        var dossier = await IntakeAsync(unit, counter, 3);
        var code = dossier.GetProperty("code").GetString()!;
        var (drafted, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", specialist,
            new { reason = "Chờ xác minh", newDueAt = dossier.GetProperty("dueAt").GetDateTimeOffset().AddDays(2) }));
        Assert.True(drafted == HttpStatusCode.OK, body.ToString());
        var (_, apologies) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter));
        Assert.Equal("draft", apologies[0].GetProperty("state").GetString());
        var number = apologies[0].GetProperty("number").GetString()!;

        var letter = $"/api/dossiers/{code}/apologies/{number}/letter";
        var draft = await SavedPdfAsync(letter, counter);
        Assert.Contains("does not contain any signatures", await PdfTools.SignaturesAsync(draft, await platform.TrustStoreAsync()));
        Assert.Contains("Bản dự thảo, chưa được lãnh đạo đơn vị ký ban hành", await PdfTools.TextAsync(draft));

        var (approved, signed) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/apologies/{number}/approve", leader, new { }));
        Assert.True(approved == HttpStatusCode.OK, signed.ToString());
        var issued = await SavedPdfAsync(letter, counter);
        await AssertSignedByAsync(issued, "Ủy ban nhân dân xã Dự Thảo");
        var text = await PdfTools.TextAsync(issued);
        Assert.DoesNotContain("Bản dự thảo", text);
        Assert.DoesNotContain("Bản không có chữ ký số", text);
    }
}
