using System.Text;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Lateness;

namespace MotCua.UnitTests;

public sealed class ApologyLetterTests
{
    private static readonly DossierView Dossier = new(
        Guid.NewGuid(), "000.00.06.H57-270108-0001", "processing", "1.004873.000.00.00.H57", Guid.NewGuid(), "counter",
        new Applicant("Phạm Văn Hùng", "001085001122", null, null, null), [], DateTimeOffset.Parse("2027-01-08T09:00:00Z"),
        DateTimeOffset.Parse("2027-01-14T09:00:00Z"), null, 3, [], "Cấp Giấy xác nhận tình trạng hôn nhân", 1, "ND118-2025");

    private static readonly Apology Apology = new("2027-0012", DateTimeOffset.Parse("2027-01-14T09:01:00Z"), "Chờ xác minh", Dossier.UnitId,
        "Thẩm định", null, DateTimeOffset.Parse("2027-01-14T09:00:00Z"), DateTimeOffset.Parse("2027-01-19T09:00:00Z"), true);

    [Fact]
    public void The_letter_reads_in_vietnamese_with_the_number_dates_and_the_form_of_the_rule_set()
    {
        var letter = ApologyLetter.Of(Dossier, Apology, "UBND xã Phú Mậu");
        Assert.Equal("Số: 0012/2027/XL-000.00.06.H57", letter.Number);
        Assert.Equal("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", letter.Title);
        Assert.Contains("16 giờ 00 phút, ngày 14/01/2027", letter.Paragraphs[0]);
        Assert.Contains("16 giờ 00 phút, ngày 19/01/2027", letter.Paragraphs[2]);
        Assert.Contains("Phạm Văn Hùng", letter.ToHtml());
        Assert.Equal("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            ApologyLetter.Of(Dossier with { RuleSet = "ND61-2018" }, Apology, "UBND xã Phú Mậu").Title);
    }

    [Fact]
    public void The_pdf_embeds_dejavu_sans()
    {
        var pdf = ApologyLetter.Of(Dossier, Apology, "UBND xã Phú Mậu").ToPdf("/usr/share/fonts/truetype/dejavu");
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.True(pdf.AsSpan().IndexOf("+DejaVu#20Sans"u8) >= 0, "DejaVu Sans is embedded");
    }
}
