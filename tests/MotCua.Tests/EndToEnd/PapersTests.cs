using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// The statutory papers through the gateway: Forms 01, 02, 03 and 05 where the dossier's state calls for them (409 naming
/// the rule where not), the control sheet printed, the unit's register, HTML and PDF, within the caller's units.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PapersTests(PlatformFixture platform)
{
    private async Task<HttpResponseMessage> GetAsync(string path, string token, string? accept = null)
    {
        using var request = platform.Request(HttpMethod.Get, path, token);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await platform.Client.SendAsync(request);
    }

    private static async Task<byte[]> PdfOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.True(bytes.AsSpan().IndexOf("/Liberation#20Serif"u8) >= 0, "printed in Liberation Serif");
        return bytes;
    }

    private async Task<JsonElement> Act(string token, string code, string action, object body)
    {
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/{action}", token, body));
        Assert.True(status == HttpStatusCode.OK, $"{action}: {dossier}");
        return dossier;
    }

    [Fact]
    public async Task A_dossiers_papers_follow_its_state_and_print_as_html_and_pdf()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var (_, leader) = await platform.OfficialAsync(unit, "leader");
        var procedure = await platform.ProcedureAsync("Cấp Giấy xác nhận tình trạng hôn nhân", 3, PlatformFixture.OneStopSteps(2, 14, 6, 2));
        var (created, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = unit, channel = "counter", papers = new[] { "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" },
            applicant = new { fullName = "Nguyễn Văn Trễ", idNumber = "046085001122", phone = "0912345678", address = "Thôn Phò Ninh" },
        }));
        Assert.True(created == HttpStatusCode.Created, dossier.ToString());
        var code = dossier.GetProperty("code").GetString()!;

        // Form 01: the receipt, with the applicant's particulars, the receiving official by name and the public page's QR code.
        using (var html = await GetAsync($"/api/dossiers/{code}/forms/01", counter))
        {
            var page = await html.Content.ReadAsStringAsync();
            Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
            foreach (var part in new[] { "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Văn Trễ", "046085001122", "Thôn Phò Ninh", "0912345678",
                         "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Thị counter", $"/tra-cuu?ma={code}", "data:image/png;base64," })
                Assert.Contains(part, page);
        }
        using (var pdf = await GetAsync($"/api/dossiers/{code}/forms/01", counter, "application/pdf")) await PdfOf(pdf);
        using (var pdf = await GetAsync($"/api/dossiers/{code}/forms/01?format=pdf", counter)) await PdfOf(pdf);

        // A form the state does not call for is a conflict naming the rule; an unknown form or format is bad input.
        foreach (var form in new[] { "02", "03", "05" })
        {
            var (status, problem) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/{form}", counter));
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Contains($"Mẫu số {form}", problem.GetProperty("detail").GetString());
        }
        var (badForm, formProblem) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/04", counter));
        Assert.Equal(HttpStatusCode.BadRequest, badForm);
        Assert.Contains("Mẫu", formProblem.GetProperty("errors").GetProperty("form")[0].GetString());
        var (badFormat, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/01?format=docx", counter));
        Assert.Equal(HttpStatusCode.BadRequest, badFormat);

        // Another commune's official does not see the dossier, nor its papers.
        var (_, stranger) = await platform.OfficialAsync(await platform.NewCommuneAsync(), "counter");
        using (var hidden = await GetAsync($"/api/dossiers/{code}/forms/01", stranger)) Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        // Form 02 once a supplement is asked for; Form 05 once the leader stops the dossier (Circular 03/2025, Decree 118's rule set).
        await Act(counter, code, "request-supplement", new { reason = "Bản sao giấy chứng tử của người vợ trước" });
        using (var supplement = await GetAsync($"/api/dossiers/{code}/forms/02", counter))
        {
            var page = await supplement.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, supplement.StatusCode);
            Assert.Contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", page);
            Assert.Contains("Bản sao giấy chứng tử của người vợ trước", page);
        }
        await Act(leader, code, "stop", new { reason = "Người nộp đề nghị dừng để bổ sung giấy tờ gốc" });
        using (var stop = await GetAsync($"/api/dossiers/{code}/forms/05", counter))
        {
            var page = await stop.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
            Assert.Contains("PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ", page);
            Assert.Contains("Nơi nhận:", page);
            Assert.Contains("Nguyễn Thị leader", page);
        }
        using (var pdf = await GetAsync($"/api/dossiers/{code}/forms/05?format=pdf", leader)) await PdfOf(pdf);

        // The control sheet: JSON as before; printed with officials' names (not log-in names), Vietnamese actions, signatures.
        var (_, history) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/history", counter));
        Assert.Equal(["receive", "request-supplement", "stop"], history.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        using (var sheet = await GetAsync($"/api/dossiers/{code}/history?format=html", counter))
        {
            var page = await sheet.Content.ReadAsStringAsync();
            foreach (var part in new[] { "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Tiếp nhận", "Yêu cầu bổ sung", "Dừng giải quyết",
                         "Nguyễn Thị counter", "Nguyễn Thị leader", "Bên giao ký", "Bên nhận ký" })
                Assert.Contains(part, page);
            Assert.DoesNotContain("counter.", page);
        }
        using (var pdf = await GetAsync($"/api/dossiers/{code}/history?format=pdf", counter)) await PdfOf(pdf);

        // The unit's register for the day: CSV by default, PDF when asked; bad input names the field; other units are not the caller's.
        var day = dossier.GetProperty("receivedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd");
        using (var csv = await GetAsync($"/api/registers?unitId={unit}&from={day}&to={day}", counter))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var text = await csv.Content.ReadAsStringAsync();
            Assert.Contains(code, text);
            Assert.Contains("Nguyễn Văn Trễ", text);
            Assert.Contains("Dừng xử lý", text);
        }
        using (var pdf = await GetAsync($"/api/registers?unitId={unit}&from={day}&to={day}", counter, "application/pdf")) await PdfOf(pdf);
        var (missing, problem400) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/registers?unitId={unit}&to={day}", counter));
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("Bắt buộc", problem400.GetProperty("errors").GetProperty("from")[0].GetString());
        using (var other = await GetAsync($"/api/registers?unitId={unit}&from={day}&to={day}", stranger)) Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_refused_online_registration_prints_form_03_and_no_receipt()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var procedure = await platform.ProcedureAsync("Đăng ký khai sinh", 1, PlatformFixture.OneStopSteps(1, 4, 2, 1));
        var (created, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = unit, channel = "online",
            applicant = new { fullName = "Lê Thị Hồng Nhung", idNumber = "046190001234" },
        }));
        Assert.True(created == HttpStatusCode.Created, dossier.ToString());
        var code = dossier.GetProperty("code").GetString()!;
        var (early, rule) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/01", counter));
        Assert.Equal(HttpStatusCode.Conflict, early);
        Assert.Contains("chưa được tiếp nhận", rule.GetProperty("detail").GetString());

        await Act(counter, code, "refuse", new { reason = "Hồ sơ không thuộc thẩm quyền giải quyết của xã" });
        using var refusal = await GetAsync($"/api/dossiers/{code}/forms/03", counter);
        var page = await refusal.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refusal.StatusCode);
        Assert.Contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", page);
        Assert.Contains("Hồ sơ không thuộc thẩm quyền giải quyết của xã.", page);
        Assert.Contains("Lê Thị Hồng Nhung", page);
        using (var pdf = await GetAsync($"/api/dossiers/{code}/forms/03?format=pdf", counter)) await PdfOf(pdf);
        var (late, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/01", counter));
        Assert.Equal(HttpStatusCode.Conflict, late);
    }
}
