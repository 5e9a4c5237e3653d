namespace MotCua.Dossier.Papers;

/// <summary>
/// One statutory paper (giấy tờ, văn bản) as both renderings see it: the Decree 30/2020 frame (issuing body, number,
/// motto, place and date, recipients, signatures) around a body of blocks. Each paper's own file builds one; <see
/// cref="PaperHtml"/> and <see cref="PaperPdf"/> print it, so the HTML and the PDF never say different things.
/// </summary>
public sealed record Paper(
    Issuer Issuer,
    string? Number,
    string PlaceAndDate,
    string Title,
    IReadOnlyList<Block> Body,
    IReadOnlyList<Signature> Signatures,
    string FileName)
{
    /// <summary>"Mẫu số 01": the form's number in the circular, printed small above the motto.</summary>
    public string? FormLabel { get; init; }

    /// <summary>A line under the title (the rule set's legal basis, the addressee).</summary>
    public string? Subtitle { get; init; }

    /// <summary>Nơi nhận: bottom left, beside the signature.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Wide tables (the control sheet, the register) are printed across an A4 turned sideways.</summary>
    public bool Landscape { get; init; }

    /// <summary>The QR code of the dossier's public page, printed under the header.</summary>
    public PaperQr? Qr { get; init; }

    /// <summary>
    /// A line at the foot of every page, for what a reader must know about this copy: a draft not yet signed, or a PDF
    /// going out without the issuing body's digital signature and why (Papers/Signing). Part of the page, drawn before
    /// the PDF is saved, since nothing may change a page once it is signed.
    /// </summary>
    public string? FootNotice { get; init; }
}

/// <summary>Kiểu chữ: Decree 30 asks for regular, bold and italic, and every Vietnamese letter in each.</summary>
public enum TextStyle { Regular, Bold, Italic, BoldItalic }

public enum Align { Left, Center, Right, Justify }

/// <summary>A piece of text in one style; a paragraph is a line of runs wrapped together.</summary>
public sealed record Run(string Text, TextStyle Style = TextStyle.Regular);

public abstract record Block;

/// <summary>A paragraph; <paramref name="Indent"/> sets its first line in by 1 cm as Decree 30 lays out body text.</summary>
public sealed record Paragraph(IReadOnlyList<Run> Runs, Align Align = Align.Justify, bool Indent = false) : Block
{
    public static Paragraph Of(string text, TextStyle style = TextStyle.Regular, Align align = Align.Justify, bool indent = false) =>
        new([new Run(text, style)], align, indent);

    /// <summary>"Label: value", the label regular and the value in bold, as forms fill their blanks.</summary>
    public static Paragraph Field(string label, string? value) =>
        new([new Run(label + ": "), new Run(value is { Length: > 0 } ? value : "……………………", TextStyle.Bold)], Align.Left);
}

/// <summary>A ruled table; widths are shares of the text width. Long tables continue on the next page under their header again.</summary>
public sealed record Table(IReadOnlyList<Column> Columns, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

public sealed record Column(string Header, double Width, Align Align = Align.Left);

/// <summary>
/// A signature block (phần ký): the capacity lines in bold capitals ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"), the instruction
/// in italics, room for the hand or the digital signature, and the signer's full name in bold.
/// </summary>
public sealed record Signature(IReadOnlyList<string> Capacity, string? Instruction, string? Name);

/// <summary>
/// The QR code: its modules (dark = true, quiet zone included) for the PDF, which draws them as squares, and a PNG for the
/// page; with the address it holds printed beside it for a reader without a camera.
/// </summary>
public sealed record PaperQr(IReadOnlyList<IReadOnlyList<bool>> Modules, byte[] Png, string Url, string Caption);
