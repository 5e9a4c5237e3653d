using System.Text.RegularExpressions;
using MotCua.Hosting.Time;
using MotCua.Data.Time;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// Reporting periods are days, months, quarters and years of the Vietnamese calendar: an event at 23:30
/// on 31 March in Ha Noi belongs to 31 March and Q1 even though it is 16:30 UTC.
/// </summary>
public static partial class Period
{
    public static string[] Containing(DateTimeOffset instant)
    {
        var local = VietnamTime.ToLocal(instant);
        return [$"{local:yyyy-MM-dd}", $"{local:yyyy-MM}", $"{local:yyyy}-Q{(local.Month + 2) / 3}", $"{local:yyyy}"];
    }

    /// <summary>A day, month, quarter or year of the form above that exists and lies within <see cref="RecordDates"/>.</summary>
    public static bool IsValid(string period) =>
        Pattern().IsMatch(period)
        && int.Parse(period[..4], System.Globalization.CultureInfo.InvariantCulture) is var year
        && year >= RecordDates.Earliest.Year && year <= RecordDates.Latest.Year
        && (period.Length != 10 || DateOnly.TryParseExact(period, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out _));

    /// <summary>The period's start and end instants (end exclusive), counted in Asia/Ho_Chi_Minh.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(string period)
    {
        var year = int.Parse(period[..4], System.Globalization.CultureInfo.InvariantCulture);
        if (period.Length == 10)
        {
            var day = new DateTimeOffset(year, int.Parse(period[5..7], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(period[8..10], System.Globalization.CultureInfo.InvariantCulture), 0, 0, 0, TimeSpan.FromHours(7));
            return (day, day.AddDays(1));
        }
        var (first, months) = period.Length switch
        {
            4 => (1, 12),
            7 when period[5] == 'Q' => ((period[6] - '1') * 3 + 1, 3),
            _ => (int.Parse(period[5..7], System.Globalization.CultureInfo.InvariantCulture), 1),
        };
        var from = new DateTimeOffset(year, first, 1, 0, 0, 0, TimeSpan.FromHours(7));
        return (from, from.AddMonths(months));
    }

    /// <summary>
    /// The days, months, quarters and years whose end falls after <paramref name="after"/> and no later than
    /// <paramref name="until"/>: the periods at whose close a dossier due at <paramref name="after"/> and settled at
    /// <paramref name="until"/> was still overdue.
    /// </summary>
    public static IEnumerable<string> EndingWithin(DateTimeOffset after, DateTimeOffset until)
    {
        var local = VietnamTime.ToLocal(after);
        for (var day = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, TimeSpan.FromHours(7)); day.AddDays(1) <= until; day = day.AddDays(1))
        {
            var end = day.AddDays(1);
            if (end <= after) continue;
            yield return $"{day:yyyy-MM-dd}";
            if (end.Day != 1) continue;
            yield return $"{day:yyyy-MM}";
            if (end.Month % 3 == 1) yield return $"{day:yyyy}-Q{(day.Month + 2) / 3}";
            if (end.Month == 1) yield return $"{day:yyyy}";
        }
    }

    [GeneratedRegex(@"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4])?\z")]
    private static partial Regex Pattern();
}
