using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace MotCua.Hosting;

/// <summary>
/// Keeps citizens' personal data out of what telemetry carries to a collector that more people can read than the
/// databases: every query-string value (a look-up by phone, the receipt's secret), phone numbers, citizen id numbers
/// (CMND 9 digits, CCCD 12) and e-mail addresses in span tags and log lines become <c>***</c>. Headers are never recorded.
/// </summary>
public static partial class PersonalDataRedaction
{
    public const string Mask = "***";

    /// <summary>The text with every query value, phone number, citizen id and e-mail address masked.</summary>
    public static string Redact(string text)
    {
        // Every string tag of every span comes through here: a pattern runs only where its mark is present.
        if (text.Contains('=')) text = QueryValue().Replace(text, "$1" + Mask);
        if (text.Contains('@')) text = Email().Replace(text, Mask);
        return text.Count(char.IsAsciiDigit) >= 9 ? IdOrPhone().Replace(text, Mask) : text;
    }

    // After "?" or "&" in a URL, or at the start of a bare query ("phone=…&…", as url.query carries it).
    [GeneratedRegex(@"((?:[?&]|^)[A-Za-z0-9_.\-\[\]]+=)[^&#\s""']+")]
    private static partial Regex QueryValue();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    // Phones: 0 and 9–10 digits, or +84 and 9 digits. Citizen ids: exactly 9 or 12 digits standing alone.
    [GeneratedRegex(@"(?<![\w\-.])(?:\+84\d{9}|0\d{9,10}|\d{12}|\d{9})(?![\w\-.])")]
    private static partial Regex IdOrPhone();

    /// <summary>Masks a finished span's string tags and its status description before any exporter reads them.</summary>
    public sealed class Spans : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity activity)
        {
            List<(string, string)>? changed = null;
            foreach (var (key, value) in activity.TagObjects)
                if (value is string text && Redact(text) is var redacted && redacted != text)
                    (changed ??= []).Add((key, redacted));
            if (changed is not null)
                foreach (var (key, value) in changed) activity.SetTag(key, value);
            if (activity.StatusDescription is { } description && Redact(description) is var masked && masked != description)
                activity.SetStatus(activity.Status, masked);
        }
    }

    /// <summary>Masks a log record's message and string attributes before any exporter reads them.</summary>
    public sealed class Logs : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord record)
        {
            if (record.FormattedMessage is { } message) record.FormattedMessage = Redact(message);
            if (record.Body is { } body) record.Body = Redact(body);
            if (record.Attributes is { Count: > 0 } attributes)
                record.Attributes = [.. attributes.Select(a => a.Value is string text ? new KeyValuePair<string, object?>(a.Key, Redact(text)) : a)];
        }
    }
}
