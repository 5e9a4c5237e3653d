using MotCua.Dossier.Papers;

namespace MotCua.UnitTests.Papers;

/// <summary>
/// Every Vietnamese letter prints right in every paper: each character the PDF's text needs has a glyph with an outline
/// in the embedded font, components of composite glyphs included (PDFsharp 6.2.4's subsets dropped them: "Nguyễn" printed
/// "Nguyên"), and every compressed stream is a whole zlib stream (the "damaged stream" a strict reader reported).
/// </summary>
public sealed class PaperGlyphTests
{
    [Fact]
    public void All_134_letters_print_in_regular_bold_italic_and_bold_italic()
    {
        Assert.Equal(134, VietnameseLetters.All.Distinct().Count());
        var pdf = new EmbeddedGlyphs(PaperPdf.Render(SamplePapers.Specimen()));
        foreach (var face in new[] { "Liberation Serif", "Liberation Serif,Bold", "Liberation Serif,Italic", "Liberation Serif,BoldItalic" })
        {
            var font = Assert.Single(pdf.Fonts, f => f.Name == face);
            Assert.Empty(pdf.Undrawn(font, VietnameseLetters.All));
        }
        Assert.Empty(pdf.DamagedStreams);
    }

    public static TheoryData<string> Papers => [.. SamplePapers.All.Keys];

    [Theory]
    [MemberData(nameof(Papers))]
    public void Every_character_of_each_paper_is_drawn_in_liberation_serif(string name)
    {
        var pdf = new EmbeddedGlyphs(PaperPdf.Render(SamplePapers.All[name]));
        Assert.NotEmpty(pdf.Fonts);
        foreach (var font in pdf.Fonts)
        {
            Assert.StartsWith("Liberation Serif", font.Name);
            // The text each font draws is its ToUnicode map: everything the page asked of it.
            Assert.Empty(pdf.Undrawn(font, font.Glyphs.Keys));
        }
        Assert.Contains(pdf.Fonts, f => f.Glyphs.ContainsKey('ễ') || f.Glyphs.ContainsKey('Ễ'));
        Assert.Empty(pdf.DamagedStreams);
    }
}
