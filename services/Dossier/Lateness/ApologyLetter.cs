using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// The apology letter's wording, once, for both renderings: Form 04 "Phiếu xin lỗi và hẹn lại ngày trả
/// kết quả" under Decree 61, or "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" under
/// Circular 03/2025 for dossiers handled by Decree 118.
/// </summary>
public sealed record ApologyLetter(
    string Agency, string Number, string PlaceAndDate, string Title, string Addressee, IReadOnlyList<string> Paragraphs, string Signer)
{
    public static ApologyLetter Of(DossierView dossier, Apology apology, string agencyName)
    {
        static string When(DateTimeOffset at) => at.ToOffset(WorkingCalendar.Offset).ToString("HH 'giờ' mm 'phút, ngày' dd/MM/yyyy");
        var issued = (apology.IssuedAt ?? apology.DraftedAt ?? apology.PreviousDueAt).ToOffset(WorkingCalendar.Offset);
        var decree118 = dossier.RuleSet == "ND118-2025";
        var agencyCode = dossier.Code[..dossier.Code.LastIndexOf('-', dossier.Code.LastIndexOf('-') - 1)];
        return new ApologyLetter(
            agencyName.ToUpperInvariant(),
            $"Số: {apology.Number[5..]}/{apology.Number[..4]}/XL-{agencyCode}",
            $"{agencyName}, ngày {issued:dd} tháng {issued:MM} năm {issued:yyyy}",
            decree118 ? "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" : "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            $"Kính gửi: Ông/Bà {dossier.Applicant.FullName}",
            [
                $"{agencyName} đã tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ {dossier.Code}, về thủ tục {dossier.ProcedureName ?? dossier.ProcedureCode}; "
                + $"thời gian hẹn trả kết quả: {When(apology.PreviousDueAt)}.",
                $"Tuy nhiên, đến nay {agencyName} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. "
                + $"Lý do: {apology.Reason} (bước: {apology.ResponsibleStep}).",
                $"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {agencyName} xin lỗi Ông/Bà và "
                + (decree118 ? "đề nghị gia hạn thời gian giải quyết, " : "")
                + $"hẹn trả kết quả vào: {When(apology.NewDueAt)}.",
                "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.",
            ],
            "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ\n(Ký, ghi rõ họ tên và đóng dấu)");
    }

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public string ToHtml()
    {
        static string E(string text) => Encoder.Encode(text);
        var html = new StringBuilder($"""
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><title>{E(Title)} {E(Number)}</title>
            <style>
              body {"{"} font-family: "DejaVu Serif", "Times New Roman", serif; margin: 2cm 2.5cm; font-size: 13pt; line-height: 1.5; {"}"}
              .head {"{"} display: flex; justify-content: space-between; text-align: center; {"}"}
              h1 {"{"} text-align: center; font-size: 14pt; margin-top: 1.5em; {"}"}
              .sign {"{"} margin-left: 55%; text-align: center; white-space: pre-line; font-weight: bold; margin-top: 2em; {"}"}
              p {"{"} text-align: justify; text-indent: 1cm; {"}"}
            </style></head><body>
            <div class="head"><div><strong>{E(Agency)}</strong><br>{E(Number)}</div>
            <div><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br><strong>Độc lập - Tự do - Hạnh phúc</strong><br><em>{E(PlaceAndDate)}</em></div></div>
            <h1>{E(Title)}</h1>
            <p style="text-indent:0; text-align:center">{E(Addressee)}</p>
            """);
        foreach (var paragraph in Paragraphs) html.Append("<p>").Append(E(paragraph)).Append("</p>\n");
        html.Append($"<div class=\"sign\">{E(Signer)}</div>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>
    /// An A4 PDF in DejaVu Sans, whose glyphs cover Vietnamese diacritics. <paramref name="unsignedNotice"/>: the line an
    /// unsigned paper prints at its foot (see <c>Papers/Signing</c>), drawn before saving since nothing may change a page
    /// after it is signed.
    /// </summary>
    public byte[] ToPdf(string fontDirectory, string? unsignedNotice = null)
    {
        DejaVuFonts.Install(fontDirectory);
        using var document = new PdfDocument();
        document.Info.Title = $"{Title} {Number}";
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(210);
        page.Height = XUnit.FromMillimeter(297);
        using var gfx = XGraphics.FromPdfPage(page);
        var regular = new XFont(DejaVuFonts.Family, 11);
        var bold = new XFont(DejaVuFonts.Family, 11, XFontStyleEx.Bold);
        var title = new XFont(DejaVuFonts.Family, 13, XFontStyleEx.Bold);
        var left = XUnit.FromMillimeter(25).Point;
        var width = page.Width.Point - 2 * left;
        var y = XUnit.FromMillimeter(20).Point;

        void Line(string text, XFont font, XStringFormat align, double x, double w)
        {
            gfx.DrawString(text, font, XBrushes.Black, new XRect(x, y, w, font.Size * 1.5), align);
            y += font.Size * 1.5;
        }
        var half = width / 2;
        var top = y;
        Line(Agency, bold, XStringFormats.TopCenter, left, half * 0.8);
        Line(Number, regular, XStringFormats.TopCenter, left, half * 0.8);
        y = top;
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, XStringFormats.TopCenter, left + half * 0.8, width - half * 0.8);
        Line("Độc lập - Tự do - Hạnh phúc", bold, XStringFormats.TopCenter, left + half * 0.8, width - half * 0.8);
        Line(PlaceAndDate, regular, XStringFormats.TopCenter, left + half * 0.8, width - half * 0.8);
        y += 24;
        Line(Title, title, XStringFormats.TopCenter, left, width);
        y += 6;
        Line(Addressee, regular, XStringFormats.TopCenter, left, width);
        y += 6;
        foreach (var paragraph in Paragraphs)
        {
            foreach (var wrapped in Wrap(gfx, paragraph, regular, width)) Line(wrapped, regular, XStringFormats.TopLeft, left, width);
            y += 4;
        }
        y += 24;
        foreach (var signer in Signer.Split('\n')) Line(signer, bold, XStringFormats.TopCenter, left + half, half);
        if (unsignedNotice is not null)
        {
            y = page.Height.Point - XUnit.FromMillimeter(20).Point;
            gfx.DrawString(unsignedNotice, new XFont(DejaVuFonts.Family, 10, XFontStyleEx.Bold), XBrushes.DarkRed,
                new XRect(left, y, width, 15), XStringFormats.TopCenter);
        }

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static IEnumerable<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                yield return line.ToString();
                line.Clear().Append(word);
            }
            else line.Clear().Append(candidate);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}

/// <summary>PdfSharp finds fonts through a resolver; ours reads Debian's DejaVu files (fonts-dejavu-core).</summary>
public sealed class DejaVuFonts(string directory) : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly Lock Gate = new();

    public static void Install(string directory)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not null) return;
            GlobalFontSettings.FontResolver = new DejaVuFonts(directory);
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(directory, faceName + ".ttf"));
}
