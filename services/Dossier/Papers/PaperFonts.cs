using System.Collections.Concurrent;
using System.IO.Compression;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace MotCua.Dossier.Papers;

/// <summary>
/// The papers' typeface: Liberation Serif (Debian's <c>fonts-liberation2</c>), metric-compatible with Times New Roman as
/// Decree 30/2020 asks, with every Vietnamese letter in its four faces. PDFsharp finds it through this resolver.
/// </summary>
public sealed class PaperFonts : IFontResolver
{
    public const string Family = "Liberation Serif";
    public const string DefaultDirectory = "/usr/share/fonts/truetype/liberation2";

    private static readonly Lock Gate = new();
    private static PaperFonts? _installed;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    private PaperFonts(string directory) => _directory = directory;

    /// <summary>
    /// PDFsharp keeps one resolver for the process: the first directory given wins. A missing font is said at once, by
    /// name and package, rather than as a blank page.
    /// </summary>
    public static PaperFonts Install(string? directory = null)
    {
        lock (Gate)
        {
            if (_installed is not null) return _installed;
            var fonts = new PaperFonts(directory ?? DefaultDirectory);
            foreach (var face in Faces.Values)
                if (!File.Exists(fonts.PathOf(face)))
                    throw new FileNotFoundException($"{face}.ttf is missing in {fonts._directory}: install fonts-liberation2.", fonts.PathOf(face));
            GlobalFontSettings.FontResolver = fonts;
            return _installed = fonts;
        }
    }

    private static readonly Dictionary<TextStyle, string> Faces = new()
    {
        [TextStyle.Regular] = "LiberationSerif-Regular", [TextStyle.Bold] = "LiberationSerif-Bold",
        [TextStyle.Italic] = "LiberationSerif-Italic", [TextStyle.BoldItalic] = "LiberationSerif-BoldItalic",
    };

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(Faces[(bold, italic) switch { (true, true) => TextStyle.BoldItalic, (true, _) => TextStyle.Bold, (_, true) => TextStyle.Italic, _ => TextStyle.Regular }]);

    public byte[]? GetFont(string faceName) => _files.GetOrAdd(faceName, face => File.ReadAllBytes(PathOf(face)));

    private string PathOf(string face) => Path.Combine(_directory, face + ".ttf");

    /// <summary>
    /// Finishes a PDF that PDFsharp 6.2.4 wrote uncompressed, mending its two defects:
    /// <list type="bullet">
    /// <item>Its font subsets lose letters. <c>GlyphDataTable.CompleteGlyphClosure</c> adds the components of the glyphs
    /// used, but not the components of those components (empira/PDFsharp#348). A font that builds "ễ" from "e" and a
    /// composite "circumflex + tilde" (DejaVu Sans does, for every vowel with a circumflex or breve and a tone) keeps the
    /// composite but not its tilde, so "Nguyễn" printed "Nguyên" while the text layer said "Nguyễn". So each subset is
    /// replaced by the complete font file: PDFsharp writes glyph ids unchanged (Identity CIDToGIDMap), so the whole file
    /// draws the same glyphs, and every component is there whatever the font. It costs about 200 KB a face, compressed;
    /// a name printed wrong costs a citizen their name.</item>
    /// <item>Its Flate streams end without the zlib trailer (the Adler-32 checksum): it writes the zlib header and then
    /// a raw deflate stream. Lenient readers show them; strict ones report a damaged stream. So PDFsharp writes nothing
    /// compressed, and every stream is compressed here as a whole zlib stream.</item>
    /// </list>
    /// </summary>
    public byte[] Complete(byte[] uncompressedPdf)
    {
        using var input = new MemoryStream(uncompressedPdf);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        foreach (var dictionary in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (dictionary.Elements.GetName("/Type") == "/FontDescriptor") EmbedWholeFont(dictionary);
            else if (dictionary.Elements.GetName("/Subtype") is "/Type0" or "/CIDFontType2") dictionary.Elements.SetName("/BaseFont", Unsubset(dictionary.Elements.GetName("/BaseFont")));
        }
        foreach (var dictionary in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (dictionary.Stream is not { } stream || dictionary.Elements.ContainsKey("/Filter")) continue;
            // XMP metadata stays readable to tools that look for it without inflating.
            if (dictionary.Elements.GetName("/Type") == "/Metadata") continue;
            var packed = Zlib(stream.Value);
            stream.Value = packed;
            dictionary.Elements.SetName("/Filter", "/FlateDecode");
            dictionary.Elements.SetInteger("/Length", packed.Length);
        }
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    private void EmbedWholeFont(PdfDictionary descriptor)
    {
        var name = descriptor.Elements.GetName("/FontName");
        if (descriptor.Elements.GetReference("/FontFile2")?.Value is not PdfDictionary program || FaceOf(name) is not { } face) return;
        var whole = GetFont(face)!;
        program.Stream.Value = whole;
        program.Elements.SetInteger("/Length1", whole.Length);
        // A subset's name carries a six-letter tag ("ABCDEF+"); a complete font's does not.
        descriptor.Elements.SetName("/FontName", Unsubset(name));
    }

    /// <summary>PDFsharp names a face "TAG+Liberation Serif,BoldItalic"; the style after the comma tells which file.</summary>
    private static string? FaceOf(string pdfName)
    {
        var name = Unsubset(pdfName).TrimStart('/').Replace("#20", " ", StringComparison.Ordinal);
        var comma = name.IndexOf(',');
        var family = comma < 0 ? name : name[..comma];
        if (family != Family) return null;
        return (comma < 0 ? "" : name[(comma + 1)..]) switch
        {
            "" or "Regular" => Faces[TextStyle.Regular], "Bold" => Faces[TextStyle.Bold], "Italic" => Faces[TextStyle.Italic],
            "BoldItalic" => Faces[TextStyle.BoldItalic], _ => null,
        };
    }

    private static string Unsubset(string name)
    {
        var plus = name.IndexOf('+');
        return plus == 7 && name[0] == '/' ? "/" + name[(plus + 1)..] : name;
    }

    /// <summary>A complete zlib stream (RFC 1950): header, deflate data and the Adler-32 trailer PDF readers check.</summary>
    public static byte[] Zlib(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(data);
        return packed.ToArray();
    }
}
