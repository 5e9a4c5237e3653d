using System.Buffers.Binary;
using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace MotCua.UnitTests.Papers;

/// <summary>
/// Reads a PDF the way a printer does, to see what it will draw: each Unicode font's text (its ToUnicode map), the
/// glyph each character is drawn with, and whether that glyph has an outline in the embedded font program, components
/// of composite glyphs included, to any depth. A glyph without one prints as nothing: "Nguyễn" as "Nguyên".
/// </summary>
public sealed class EmbeddedGlyphs
{
    public sealed record Font(string Name, IReadOnlyDictionary<char, int> Glyphs, Func<int, bool> Drawn);

    public IReadOnlyList<Font> Fonts { get; }

    /// <summary>Flate streams without their zlib trailer, the Adler-32 a strict reader checks (the "damaged stream").</summary>
    public IReadOnlyList<string> DamagedStreams { get; }

    public EmbeddedGlyphs(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var objects = document.Internals.GetAllObjects().OfType<PdfDictionary>().ToList();
        Fonts = [.. objects.Where(d => d.Elements.GetName("/Subtype") == "/Type0").Select(ReadFont)];
        DamagedStreams = [.. objects.Where(d => d.Stream is not null && d.Elements.GetName("/Filter") == "/FlateDecode" && !WholeZlib(d))
            .Select(d => d.Reference?.ObjectID.ToString() ?? "?")];
    }

    /// <summary>The characters that would not print in the named font (whitespace has no outline by nature).</summary>
    public IReadOnlyList<char> Undrawn(Font font, IEnumerable<char> text) =>
        [.. text.Where(c => !char.IsWhiteSpace(c)).Distinct().Where(c => !font.Glyphs.TryGetValue(c, out var glyph) || !font.Drawn(glyph))];

    private static Font ReadFont(PdfDictionary type0)
    {
        var cidFont = (PdfDictionary)type0.Elements.GetArray("/DescendantFonts")!.Elements.GetReference(0)!.Value;
        var descriptor = (PdfDictionary)cidFont.Elements.GetReference("/FontDescriptor")!.Value;
        var program = ((PdfDictionary)descriptor.Elements.GetReference("/FontFile2")!.Value).Stream.UnfilteredValue;
        var toUnicode = Encoding.ASCII.GetString(((PdfDictionary)type0.Elements.GetReference("/ToUnicode")!.Value).Stream.UnfilteredValue);
        var glyphs = new Dictionary<char, int>();
        // Identity-H with an identity CIDToGIDMap: a character code is the glyph id in the font program.
        foreach (System.Text.RegularExpressions.Match section in System.Text.RegularExpressions.Regex.Matches(toUnicode,
                     @"beginbfrange(.*?)endbfrange|beginbfchar(.*?)endbfchar", System.Text.RegularExpressions.RegexOptions.Singleline))
        {
            var range = section.Groups[1].Success;
            var numbers = System.Text.RegularExpressions.Regex.Matches(range ? section.Groups[1].Value : section.Groups[2].Value, "<([0-9A-Fa-f]+)>")
                .Select(m => Convert.ToInt32(m.Groups[1].Value, 16)).ToList();
            for (var i = 0; i + (range ? 2 : 1) < numbers.Count; i += range ? 3 : 2)
            {
                if (range)
                    for (var code = numbers[i]; code <= numbers[i + 1]; code++) glyphs[(char)(numbers[i + 2] + code - numbers[i])] = code;
                else glyphs[(char)numbers[i + 1]] = numbers[i];
            }
        }
        var trueType = new TrueType(program);
        return new Font(type0.Elements.GetName("/BaseFont").TrimStart('/').Replace("#20", " "), glyphs, trueType.Drawn);
    }

    private static bool WholeZlib(PdfDictionary stream)
    {
        var raw = stream.Stream.Value;
        if (raw.Length < 6 || raw[0] != 0x78) return false;
        var data = stream.Stream.UnfilteredValue;
        uint a = 1, b = 0;
        foreach (var x in data) { a = (a + x) % 65521; b = (b + a) % 65521; }
        return BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(raw.Length - 4)) == (b << 16 | a);
    }

    /// <summary>Just enough of a TrueType font to know whether a glyph has an outline: head, loca, glyf.</summary>
    private sealed class TrueType
    {
        private readonly byte[] _font;
        private readonly int _glyf;
        private readonly int[] _loca;

        public TrueType(byte[] font)
        {
            _font = font;
            var tables = new Dictionary<string, int>();
            int count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
            for (var i = 0; i < count; i++)
                tables[Encoding.ASCII.GetString(font, 12 + 16 * i, 4)] = (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 16 * i + 8));
            var longOffsets = BinaryPrimitives.ReadInt16BigEndian(font.AsSpan(tables["head"] + 50)) == 1;
            int glyphs = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(tables["maxp"] + 4));
            _loca = [.. Enumerable.Range(0, glyphs + 1).Select(g => longOffsets
                ? (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(tables["loca"] + 4 * g))
                : BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(tables["loca"] + 2 * g)) * 2)];
            _glyf = tables["glyf"];
        }

        public bool Drawn(int glyph) => Drawn(glyph, 0);

        private bool Drawn(int glyph, int depth)
        {
            if (glyph < 0 || glyph + 1 >= _loca.Length || depth > 8 || _loca[glyph + 1] <= _loca[glyph]) return false;
            var at = _glyf + _loca[glyph];
            int contours = BinaryPrimitives.ReadInt16BigEndian(_font.AsSpan(at));
            if (contours > 0) return true;
            if (contours == 0) return false;
            var offset = at + 10;
            while (true)
            {
                int flags = BinaryPrimitives.ReadUInt16BigEndian(_font.AsSpan(offset));
                int component = BinaryPrimitives.ReadUInt16BigEndian(_font.AsSpan(offset + 2));
                if (!Drawn(component, depth + 1)) return false;
                if ((flags & 0x20) == 0) return true;
                offset += 4 + ((flags & 1) != 0 ? 4 : 2) + ((flags & 8) != 0 ? 2 : (flags & 0x40) != 0 ? 4 : (flags & 0x80) != 0 ? 8 : 0);
            }
        }
    }
}
