using System.Text.RegularExpressions;
using MotCua.ServiceDefaults.Time;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// Reporting periods are months, quarters and years of the Vietnamese calendar: an event at 23:30
/// on 31 March in Ha Noi belongs to Q1 even though it is 16:30 UTC.
/// </summary>
public static partial class Period
{
    public static string[] Containing(DateTimeOffset instant)
    {
        var local = VietnamTime.ToLocal(instant);
        return [$"{local:yyyy-MM}", $"{local:yyyy}-Q{(local.Month + 2) / 3}", $"{local:yyyy}"];
    }

    public static bool IsValid(string period) => Pattern().IsMatch(period);

    [GeneratedRegex(@"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$")]
    private static partial Regex Pattern();
}
