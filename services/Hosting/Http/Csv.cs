using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MotCua.Hosting.Http;

/// <summary>
/// Reports answer JSON, or CSV for spreadsheets with <c>format=csv</c> or <c>Accept: text/csv</c>. Cells are
/// written invariantly (dot decimals, ISO instants), quoted when they hold a comma, quote or line break, and text that
/// would start a formula is neutralised.
/// </summary>
public static class Csv
{
    /// <summary>Whether CSV was asked for; <paramref name="errors"/> gets a <c>format</c> error for anything but json or csv.</summary>
    public static bool Requested(HttpRequest request, string? format, FieldErrors errors)
    {
        if (format is not (null or "json" or "csv")) errors.Add("format", "json or csv.");
        return format == "csv" || (format is null && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.Ordinal));
    }

    public sealed class Table(params string[] header)
    {
        private readonly StringBuilder _text = new StringBuilder().AppendJoin(',', header.Select(Cell)).Append('\n');

        public Table Row(params object?[] cells)
        {
            _text.AppendJoin(',', cells.Select(Cell)).Append('\n');
            return this;
        }

        public override string ToString() => _text.ToString();

        public IResult ToResult(string fileName) => new CsvResult(_text.ToString(), fileName);
    }

    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            bool flag => flag ? "true" : "false",
            DateTimeOffset instant => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => Neutralised(value.ToString() ?? ""),
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>
    /// Text that a spreadsheet would take for a formula (a name typed as <c>=HYPERLINK(…)</c>) starts with an apostrophe,
    /// which the spreadsheet shows as text. Numbers are not text here, so a negative figure stays a number.
    /// </summary>
    private static string Neutralised(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private sealed class CsvResult(string text, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return context.Response.WriteAsync(text, Encoding.UTF8);
        }
    }
}
