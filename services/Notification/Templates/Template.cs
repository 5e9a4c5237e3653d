using MotCua.Contracts;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MotCua.Notification.Templates;

/// <summary>
/// A message template for one event and channel. Placeholders <c>{name}</c> are filled from the event; an
/// SMS is sent without diacritics (Vietnamese brand-name SMS are GSM-7) and must fit in two segments.
/// </summary>
public sealed partial record Template(string Key, string Channel, string? Subject, string Body)
{
    public const int SmsSegmentLength = 160;
    public const int SmsConcatenatedSegmentLength = 153;
    public const int MaxSmsSegments = 2;

    public (string? Subject, string Body) Render(IReadOnlyDictionary<string, string> values)
    {
        var body = Fill(Body, values);
        return (Subject is null ? null : Fill(Subject, values), Channel == NotificationChannels.Sms ? Unaccented(body) : body);
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    public static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Vietnamese without diacritics: "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan".</summary>
    public static string Unaccented(string text)
    {
        var decomposed = text.Replace('đ', 'd').Replace('Đ', 'D').Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) plain.Append(c);
        return plain.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>How many SMS segments a GSM-7 text takes: one up to 160 characters, then 153 a segment.</summary>
    public static int SmsSegments(string text) =>
        text.Length <= SmsSegmentLength ? 1 : (text.Length + SmsConcatenatedSegmentLength - 1) / SmsConcatenatedSegmentLength;

    [GeneratedRegex(@"\{([a-zA-Z]+)\}")]
    private static partial Regex Placeholder();
}
