using MotCua.Hosting.Http;
using MotCua.Data.Http;

namespace MotCua.Evaluation.Indicators;

/// <summary>The <c>period</c> of a report: a day, month, quarter or year, the current month when absent.</summary>
public static class ReportingPeriod
{
    /// <summary>The period asked for and the moment its figures are taken at: its end, or now while it runs.</summary>
    public static (string Period, DateTimeOffset AsOf) Parse(string? period, TimeProvider time, FieldErrors errors)
    {
        var now = time.GetUtcNow();
        period ??= Period.Containing(now)[1];
        if (!Period.IsValid(period))
        {
            errors.Add("period", "A day (2026-11-22), a month (2026-11), a quarter (2026-Q4) or a year (2026), from 2000 to 2100.");
            return (period, now);
        }
        var end = Period.Bounds(period).To;
        return (period, now < end ? now : end);
    }

    /// <summary>The calendar day (in Viet Nam) of the last moment before <paramref name="asOf"/>: whose postings a report takes.</summary>
    public static DateOnly LastDay(DateTimeOffset asOf) =>
        DateOnly.FromDateTime(Hosting.Time.VietnamTime.ToLocal(asOf.AddTicks(-1)).DateTime);
}
