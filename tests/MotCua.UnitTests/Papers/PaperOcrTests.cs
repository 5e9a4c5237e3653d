using System.Diagnostics;
using System.Text.RegularExpressions;
using MotCua.Dossier.Papers;

namespace MotCua.UnitTests.Papers;

/// <summary>
/// The papers as a reader sees them: the PDF drawn to a 300 dpi image (pdftoppm, poppler-utils) and read back with
/// Vietnamese OCR (tesseract-ocr-vie). The glyph check proves every letter is embedded; this proves what is drawn reads as
/// the words meant. The letter that dropped tone marks read back "Nguyên Văn Trê", "Sô", "hô sơ". Both tools come with
/// deploy/local/infra.sh's install_missing.
/// </summary>
public sealed partial class PaperOcrTests
{
    [Theory]
    [InlineData("letter-118", new[] { "Nguyễn Văn Trễ", "Số: 12/XL-UBND", "mã hồ sơ", "Phong Thái, ngày 19 tháng 3 năm 2031", "Cấp Giấy xác nhận",
        "kết quả", "đến nay", "xin lỗi", "đề nghị gia hạn", "ỦY BAN NHÂN DÂN", "XÃ PHONG THÁI", "Hoàng Thị Ngọc Ánh" })]
    [InlineData("form-01", new[] { "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Văn Trễ", "Thôn Phò Ninh", "3 ngày làm việc",
        "Phong Thái, ngày 17 tháng 3 năm 2031", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Thủy Tiên" })]
    public void The_printed_paper_reads_back_with_every_tone_mark(string paper, string[] words)
    {
        var text = Read(PaperPdf.Render(SamplePapers.All[paper]));
        var missing = words.Where(w => !text.Contains(w, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"not read back: {string.Join(" | ", missing)}\n--- OCR ---\n{text}");
    }

    private static string Read(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-ocr-");
        try
        {
            var file = Path.Combine(folder.FullName, "paper.pdf");
            File.WriteAllBytes(file, pdf);
            Run("pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", file, Path.Combine(folder.FullName, "page"));
            var page = Directory.GetFiles(folder.FullName, "page*.png").Single();
            return Spaces().Replace(Run("tesseract", page, "-", "-l", "vie"), " ");
        }
        finally { folder.Delete(true); }
    }

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is missing: install poppler-utils, tesseract-ocr and tesseract-ocr-vie (deploy/local/infra.sh does).", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000)) { process.Kill(true); throw new TimeoutException($"{tool} took over two minutes."); }
            Assert.True(process.ExitCode == 0, $"{tool} failed: {error.Result}");
            return output.Result;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
