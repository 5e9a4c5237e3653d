using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace MotCua.Dossier.Papers;

/// <summary>
/// The printable page of a paper: the same Decree 30/2020 frame as the PDF, in Times New Roman where the reader has it
/// and Liberation Serif (its metric twin) where it does not, sized for A4 when printed.
/// </summary>
public static class PaperHtml
{
    // Vietnamese letters stay letters in the page; only markup characters are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string E(string? text) => Encoder.Encode(text ?? "");

    public static string Render(Paper paper)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(paper.Title)}}</title>
            <style>
              @page { size: A4 {{(paper.Landscape ? "landscape" : "portrait")}}; margin: 20mm 15mm 20mm {{(paper.Landscape ? "20mm" : "30mm")}}; }
              body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; line-height: 1.3; margin: 1cm auto; max-width: {{(paper.Landscape ? "26cm" : "17cm")}}; color: #000; }
              .head { display: flex; justify-content: space-between; gap: 1em; text-align: center; }
              .head > div { flex: 1 1 0; } .head > .issuer { flex: 0 0 42%; }
              .issuer .name, .motto strong { font-weight: bold; display: inline-block; border-bottom: 0.6pt solid #000; padding-bottom: 2px; }
              .form-label { text-align: right; font-style: italic; font-size: 11pt; }
              .date { font-style: italic; margin-top: 0.6em; }
              h1 { text-align: center; font-size: 14pt; margin: 1.4em 0 0.2em; }
              .subtitle { text-align: center; margin: 0 0 1em; }
              p { margin: 0.3em 0; } p.justify { text-align: justify; } p.center { text-align: center; } p.right { text-align: right; }
              p.indent { text-indent: 1cm; }
              table { border-collapse: collapse; width: 100%; font-size: 11pt; margin: 0.5em 0; }
              th, td { border: 0.6pt solid #000; padding: 3px 5px; vertical-align: top; } th { text-align: center; }
              td.center { text-align: center; } td.right { text-align: right; }
              .qr { display: flex; align-items: center; gap: 1em; font-size: 11pt; margin: 0.8em 0; } .qr img { width: 25mm; height: 25mm; }
              .closing { display: flex; justify-content: space-between; margin-top: 1.5em; page-break-inside: avoid; }
              .recipients { flex: 0 0 45%; font-size: 11pt; } .recipients strong { font-size: 12pt; font-style: italic; }
              .signatures { flex: 1; display: flex; justify-content: space-around; text-align: center; }
              .signature .capacity { font-weight: bold; } .signature .instruction { font-style: italic; font-size: 12pt; }
              .signature .name { font-weight: bold; margin-top: 25mm; }
              .foot-notice { margin-top: 2em; text-align: center; font-size: 11pt; font-weight: bold; font-style: italic; color: #8b0000; }
            </style></head><body>

            """);
        if (paper.FormLabel is { } label) html.Append($"<div class=\"form-label\">{E(label)}</div>\n");
        html.Append($"""
            <div class="head"><div class="issuer">{E(paper.Issuer.Above)}<br><span class="name">{E(paper.Issuer.Name)}</span>{(paper.Number is { } n ? $"<br><br>{E(n)}" : "")}</div>
            <div class="motto"><strong style="border:0">{E(Decree30.Motto)}</strong><br><strong>{E(Decree30.MottoLine)}</strong>
            <div class="date">{E(paper.PlaceAndDate)}</div></div></div>
            <h1>{E(paper.Title)}</h1>

            """);
        if (paper.Subtitle is { } subtitle) html.Append($"<p class=\"subtitle\">{E(subtitle)}</p>\n");
        foreach (var block in paper.Body)
        {
            switch (block)
            {
                case Paragraph p:
                    var classes = $"{p.Align.ToString().ToLowerInvariant()}{(p.Indent ? " indent" : "")}";
                    html.Append($"<p class=\"{classes}\">").Append(string.Join(" ", p.Runs.Select(Run))).Append("</p>\n");
                    break;
                case Table t:
                    html.Append("<table><thead><tr>").Append(string.Concat(t.Columns.Select(c => $"<th>{E(c.Header)}</th>"))).Append("</tr></thead><tbody>\n");
                    foreach (var row in t.Rows)
                        html.Append("<tr>").Append(string.Concat(row.Select((cell, i) =>
                            $"<td{(t.Columns[i].Align is Align.Center or Align.Right ? $" class=\"{t.Columns[i].Align.ToString().ToLowerInvariant()}\"" : "")}>"
                            + E(cell).Replace("\n", "<br>", StringComparison.Ordinal) + "</td>"))).Append("</tr>\n");
                    html.Append("</tbody></table>\n");
                    break;
            }
        }
        if (paper.Qr is { } qr)
            html.Append($"<div class=\"qr\"><img alt=\"QR\" src=\"data:image/png;base64,{Convert.ToBase64String(qr.Png)}\"><div><em>{E(qr.Caption)}</em><br>{E(qr.Url)}</div></div>\n");
        html.Append("<div class=\"closing\">");
        if (paper.Recipients.Count > 0)
            html.Append("<div class=\"recipients\"><strong>Nơi nhận:</strong><br>").Append(string.Join("<br>", paper.Recipients.Select(E))).Append("</div>");
        html.Append("<div class=\"signatures\">");
        foreach (var signature in paper.Signatures)
            html.Append("<div class=\"signature\"><div class=\"capacity\">").Append(string.Join("<br>", signature.Capacity.Select(E))).Append("</div>")
                .Append(signature.Instruction is { } i ? $"<div class=\"instruction\">{E(i)}</div>" : "")
                .Append($"<div class=\"name\">{E(signature.Name)}</div></div>");
        html.Append("</div></div>\n");
        if (paper.FootNotice is { } notice) html.Append($"<p class=\"foot-notice\">{E(notice)}</p>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Run(Run run) => run.Style switch
    {
        TextStyle.Bold => $"<strong>{E(run.Text)}</strong>",
        TextStyle.Italic => $"<em>{E(run.Text)}</em>",
        TextStyle.BoldItalic => $"<strong><em>{E(run.Text)}</em></strong>",
        _ => E(run.Text),
    };
}
