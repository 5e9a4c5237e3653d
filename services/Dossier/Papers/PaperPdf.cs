using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Every PDF a paper becomes passes through <see cref="Render"/>, and only there; <see cref="PapersApi.PdfAsync"/> hands
/// it to the issuing body's digital signature (Decree 30/2020; Papers/Signing), which asks for the unsigned notice first. A4, Liberation
/// Serif 13 pt, the margins of Decree 30 (top and bottom 20 mm, left 30 mm, right 15 mm).
/// </summary>
public static class PaperPdf
{
    public static byte[] Render(Paper paper, string? fontDirectory = null)
    {
        var fonts = PaperFonts.Install(fontDirectory);
        using var document = new PdfDocument();
        document.Info.Title = paper.Title;
        document.Info.Creator = "MotCua";
        // PDFsharp 6.2.4 writes broken Flate streams (no Adler-32): it writes none, and PaperFonts.Complete compresses.
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        using (var writer = new Writer(document, paper.Landscape))
        {
            writer.Header(paper);
            foreach (var block in paper.Body) writer.Block(block);
            if (paper.Qr is { } qr) writer.Qr(qr);
            writer.Closing(paper.Recipients, paper.Signatures);
        }
        if (paper.FootNotice is { } notice) FootNotice(document, notice, paper.Landscape);
        using var raw = new MemoryStream();
        document.Save(raw, false);
        return fonts.Complete(raw.ToArray());
    }

    /// <summary>
    /// The notice in the bottom margin of every page, so a page apart from the others still says it: in dark red, bold
    /// italic, across the text width.
    /// </summary>
    private static void FootNotice(PdfDocument document, string notice, bool landscape)
    {
        var font = new XFont(PaperFonts.Family, 10, XFontStyleEx.BoldItalic, new XPdfFontOptions(PdfFontEncoding.Unicode));
        var left = XUnit.FromMillimeter(landscape ? 20 : 30).Point;
        foreach (var page in document.Pages)
        {
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var right = page.Width.Point - XUnit.FromMillimeter(15).Point;
            gfx.DrawString(notice, font, XBrushes.DarkRed,
                new XRect(left, page.Height.Point - XUnit.FromMillimeter(14).Point, right - left, 14), XStringFormats.TopCenter);
        }
    }

    /// <summary>A cursor down A4 pages: text in runs, tables, signature blocks, a new page when the next thing does not fit.</summary>
    private sealed class Writer : IDisposable
    {
        private const double BodySize = 13, HeaderSize = 12.5, TableSize = 11, SmallSize = 11;
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private readonly PdfDocument _document;
        private readonly bool _landscape;
        private readonly Dictionary<(TextStyle, double), XFont> _fonts = [];
        private PdfPage _page = null!;
        private XGraphics _gfx = null!;
        private double _y;

        public Writer(PdfDocument document, bool landscape)
        {
            _document = document;
            _landscape = landscape;
            NewPage();
        }

        private double Left => Mm(_landscape ? 20 : 30);
        private double Right => _page.Width.Point - Mm(_landscape ? 15 : 15);
        private double Width => Right - Left;
        private double Bottom => _page.Height.Point - Mm(20);

        private static double Mm(double mm) => XUnit.FromMillimeter(mm).Point;

        private void NewPage()
        {
            _gfx?.Dispose();
            _page = _document.AddPage();
            _page.Width = XUnit.FromMillimeter(_landscape ? 297 : 210);
            _page.Height = XUnit.FromMillimeter(_landscape ? 210 : 297);
            _gfx = XGraphics.FromPdfPage(_page);
            _y = Mm(20);
        }

        private void Room(double height)
        {
            if (_y + height > Bottom) NewPage();
        }

        private XFont Font(TextStyle style, double size)
        {
            if (!_fonts.TryGetValue((style, size), out var font))
                _fonts[(style, size)] = font = new XFont(PaperFonts.Family, size, style switch
                {
                    TextStyle.Bold => XFontStyleEx.Bold, TextStyle.Italic => XFontStyleEx.Italic,
                    TextStyle.BoldItalic => XFontStyleEx.BoldItalic, _ => XFontStyleEx.Regular,
                }, Unicode);
            return font;
        }

        private static double LineHeight(double size) => size * 1.25;

        /// <summary>Top left the issuing body and the number, top right the motto and the place and date (Decree 30).</summary>
        public void Header(Paper paper)
        {
            var split = Width * (_landscape ? 0.4 : 0.42);
            var top = _y;
            if (paper.FormLabel is { } label)
            {
                Lines([label], TextStyle.Italic, SmallSize, Left, Width, Align.Right);
                top = _y;
            }
            Lines(Wrap(paper.Issuer.Above, TextStyle.Regular, HeaderSize, split), TextStyle.Regular, HeaderSize, Left, split, Align.Center);
            var nameLines = Wrap(paper.Issuer.Name, TextStyle.Bold, HeaderSize, split);
            Lines(nameLines, TextStyle.Bold, HeaderSize, Left, split, Align.Center);
            Rule(Left + split / 2, _y + 1, Math.Min(Measure(nameLines[^1], TextStyle.Bold, HeaderSize), split) / 2.5);
            _y += 6;
            if (paper.Number is { } number) Lines(Wrap(number, TextStyle.Regular, BodySize, split), TextStyle.Regular, BodySize, Left, split, Align.Center);
            var leftBottom = _y;

            _y = top;
            var right = Left + split;
            var rightWidth = Width - split;
            Lines([Decree30.Motto], TextStyle.Bold, HeaderSize, right, rightWidth, Align.Center);
            Lines([Decree30.MottoLine], TextStyle.Bold, BodySize, right, rightWidth, Align.Center);
            Rule(right + rightWidth / 2, _y + 1, Measure(Decree30.MottoLine, TextStyle.Bold, BodySize) / 2);
            _y += 8;
            Lines(Wrap(paper.PlaceAndDate, TextStyle.Italic, BodySize, rightWidth), TextStyle.Italic, BodySize, right, rightWidth, Align.Center);
            _y = Math.Max(_y, leftBottom) + 18;

            Lines(Wrap(paper.Title, TextStyle.Bold, 14, Width), TextStyle.Bold, 14, Left, Width, Align.Center);
            if (paper.Subtitle is { } subtitle)
                Lines(Wrap(subtitle, TextStyle.Regular, BodySize, Width), TextStyle.Regular, BodySize, Left, Width, Align.Center);
            _y += 10;
        }

        public void Block(Block block)
        {
            switch (block)
            {
                case Paragraph paragraph: Write(paragraph); break;
                case Table table: Write(table); break;
                default: throw new NotSupportedException(block.GetType().Name);
            }
        }

        /// <summary>Runs wrapped word by word, each word in its run's face; justified lines share the spare width between words.</summary>
        private void Write(Paragraph paragraph)
        {
            var words = paragraph.Runs.SelectMany(run => run.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(word => (Text: word, run.Style, Width: Measure(word, run.Style, BodySize)))).ToList();
            var indent = paragraph.Indent ? Mm(10) : 0;
            var space = Measure(" ", TextStyle.Regular, BodySize);
            var start = 0;
            var first = true;
            while (start < words.Count)
            {
                var room = Width - (first ? indent : 0);
                var end = start;
                var used = 0.0;
                while (end < words.Count && (end == start || used + space + words[end].Width <= room))
                {
                    used += (end == start ? 0 : space) + words[end].Width;
                    end++;
                }
                var last = end == words.Count;
                Room(LineHeight(BodySize));
                var x = Left + (first ? indent : 0);
                var gap = space;
                if (paragraph.Align == Align.Center) x += (room - used) / 2;
                else if (paragraph.Align == Align.Right) x += room - used;
                else if (paragraph.Align == Align.Justify && !last && end - start > 1) gap += (room - used) / (end - start - 1);
                for (var i = start; i < end; i++)
                {
                    _gfx.DrawString(words[i].Text, Font(words[i].Style, BodySize), XBrushes.Black, new XPoint(x, _y + BodySize), XStringFormats.BaseLineLeft);
                    x += words[i].Width + gap;
                }
                _y += LineHeight(BodySize);
                start = end;
                first = false;
            }
            _y += 3;
        }

        /// <summary>A ruled table; a row that does not fit goes to the next page, under the header row again.</summary>
        private void Write(Table table)
        {
            var total = table.Columns.Sum(c => c.Width);
            var widths = table.Columns.Select(c => Width * c.Width / total).ToArray();
            const double pad = 3;
            void Row(IReadOnlyList<string> cells, TextStyle style, IReadOnlyList<Align> aligns)
            {
                var wrapped = cells.Select((cell, i) => Wrap(cell, style, TableSize, widths[i] - 2 * pad)).ToArray();
                var height = wrapped.Max(lines => lines.Count) * LineHeight(TableSize) + 2 * pad;
                if (_y + height > Bottom)
                {
                    NewPage();
                    if (style != TextStyle.Bold) Row(table.Columns.Select(c => c.Header).ToArray(), TextStyle.Bold, table.Columns.Select(_ => Align.Center).ToArray());
                }
                var x = Left;
                for (var i = 0; i < widths.Length; i++)
                {
                    _gfx.DrawRectangle(new XPen(XColors.Black, 0.6), x, _y, widths[i], height);
                    var y = _y + pad;
                    foreach (var line in wrapped[i])
                    {
                        var width = Measure(line, style, TableSize);
                        var lx = aligns[i] switch
                        {
                            Align.Center => x + (widths[i] - width) / 2, Align.Right => x + widths[i] - pad - width, _ => x + pad,
                        };
                        _gfx.DrawString(line, Font(style, TableSize), XBrushes.Black, new XPoint(lx, y + TableSize), XStringFormats.BaseLineLeft);
                        y += LineHeight(TableSize);
                    }
                    x += widths[i];
                }
                _y += height;
            }
            Room(LineHeight(TableSize) * 4);
            Row(table.Columns.Select(c => c.Header).ToArray(), TextStyle.Bold, table.Columns.Select(_ => Align.Center).ToArray());
            foreach (var row in table.Rows) Row(row, TextStyle.Regular, table.Columns.Select(c => c.Align).ToArray());
            _y += 8;
        }

        /// <summary>The QR code at left, the address it holds beside it.</summary>
        public void Qr(PaperQr qr)
        {
            var size = Mm(25);
            Room(size + 6);
            // Squares, not an image: PDFsharp's core build reads no PNG, and vectors stay sharp at any printer's resolution.
            var module = size / qr.Modules.Count;
            for (var row = 0; row < qr.Modules.Count; row++)
                for (var column = 0; column < qr.Modules[row].Count; column++)
                    if (qr.Modules[row][column]) _gfx.DrawRectangle(XBrushes.Black, Left + column * module, _y + row * module, module, module);
            var saved = _y;
            _y += size / 2 - LineHeight(SmallSize);
            var textLeft = Left + size + Mm(4);
            Lines(Wrap(qr.Caption, TextStyle.Italic, SmallSize, Right - textLeft), TextStyle.Italic, SmallSize, textLeft, Right - textLeft, Align.Left);
            Lines(Wrap(qr.Url, TextStyle.Regular, SmallSize, Right - textLeft), TextStyle.Regular, SmallSize, textLeft, Right - textLeft, Align.Left);
            _y = saved + size + 6;
        }

        /// <summary>
        /// Nơi nhận at bottom left and the signature at right; with no recipients the signatures share the width (the
        /// submitter's at left, the official's at right, as the forms place them). Kept together on one page.
        /// </summary>
        public void Closing(IReadOnlyList<string> recipients, IReadOnlyList<Signature> signatures)
        {
            var columns = new List<(double X, double W)>();
            double signatureLeft = Left;
            if (recipients.Count > 0) signatureLeft = Left + Width * 0.45;
            var share = (Right - signatureLeft) / Math.Max(1, signatures.Count);
            for (var i = 0; i < signatures.Count; i++) columns.Add((signatureLeft + i * share, share));
            var needed = Math.Max(LineHeight(SmallSize) * (recipients.Count + 1),
                signatures.Count == 0 ? 0 : signatures.Max(s => s.Capacity.Count + 1) * LineHeight(BodySize) + Mm(25) + LineHeight(BodySize));
            _y += 8;
            Room(needed);
            var top = _y;
            var bottom = top;
            if (recipients.Count > 0)
            {
                Lines(["Nơi nhận:"], TextStyle.BoldItalic, 12, Left, Width * 0.45, Align.Left);
                foreach (var recipient in recipients)
                    Lines(Wrap(recipient, TextStyle.Regular, SmallSize, Width * 0.45 - 6), TextStyle.Regular, SmallSize, Left, Width * 0.45, Align.Left);
                bottom = _y;
            }
            for (var i = 0; i < signatures.Count; i++)
            {
                _y = top;
                var (x, w) = columns[i];
                foreach (var line in signatures[i].Capacity) Lines(Wrap(line, TextStyle.Bold, BodySize, w), TextStyle.Bold, BodySize, x, w, Align.Center);
                if (signatures[i].Instruction is { } instruction)
                    Lines(Wrap(instruction, TextStyle.Italic, 12, w), TextStyle.Italic, 12, x, w, Align.Center);
                _y += Mm(25);
                if (signatures[i].Name is { Length: > 0 } name) Lines(Wrap(name, TextStyle.Bold, BodySize, w), TextStyle.Bold, BodySize, x, w, Align.Center);
                bottom = Math.Max(bottom, _y);
            }
            _y = bottom;
        }

        private void Lines(IEnumerable<string> lines, TextStyle style, double size, double x, double width, Align align)
        {
            foreach (var line in lines)
            {
                Room(LineHeight(size));
                var w = Measure(line, style, size);
                var lx = align switch { Align.Center => x + (width - w) / 2, Align.Right => x + width - w, _ => x };
                _gfx.DrawString(line, Font(style, size), XBrushes.Black, new XPoint(lx, _y + size), XStringFormats.BaseLineLeft);
                _y += LineHeight(size);
            }
        }

        /// <summary>A thin line centred on <paramref name="centre"/>, as Decree 30 underlines the body's name and the motto.</summary>
        private void Rule(double centre, double y, double halfWidth) =>
            _gfx.DrawLine(new XPen(XColors.Black, 0.6), centre - halfWidth, y, centre + halfWidth, y);

        private double Measure(string text, TextStyle style, double size) => _gfx.MeasureString(text, Font(style, size)).Width;

        /// <summary>Words to lines no wider than <paramref name="width"/>; a word longer than a line is cut where it must be.</summary>
        private List<string> Wrap(string text, TextStyle style, double size, double width)
        {
            var lines = new List<string>();
            foreach (var given in text.Split('\n'))
            {
                var line = "";
                foreach (var word in given.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (Measure(candidate, style, size) <= width) { line = candidate; continue; }
                    if (line.Length > 0) lines.Add(line);
                    line = word;
                    while (line.Length > 1 && Measure(line, style, size) > width)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && Measure(line[..cut], style, size) > width) cut--;
                        lines.Add(line[..cut]);
                        line = line[cut..];
                    }
                }
                lines.Add(line);
            }
            return lines;
        }

        public void Dispose() => _gfx.Dispose();
    }
}
