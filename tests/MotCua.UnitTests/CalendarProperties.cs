using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MotCua.Dossier.Calendar;
using MotCua.Evaluation.Indicators;
using MotCua.Hosting.Time;

namespace MotCua.UnitTests;

/// <summary>
/// The working calendar and the reporting periods, held to their laws over generated instants: any minute of three years
/// (month ends, year ends, Friday nights, Tết 2027 and its make-up Saturday included) and any length of work.
/// </summary>
public sealed class CalendarProperties
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly DateTimeOffset Origin = new(2025, 12, 1, 0, 0, 0, Vn);
    private const int Minutes = 60 * 24 * 3 * 366;

    // Tết Đinh Mùi: 5–13 February 2027 off, Saturday 20 February worked in exchange (an illustration, not the decision).
    private static readonly WorkingCalendar Calendar = new(WorkingCalendar.DefaultPeriods,
        [new(2026, 1, 1), new(2026, 4, 30), new(2026, 5, 1), new(2026, 9, 2), new(2027, 1, 1),
         .. Enumerable.Range(5, 9).Select(d => new DateOnly(2027, 2, d)), new(2027, 4, 30)],
        [new(2027, 2, 20)]);

    private static Arbitrary<DateTimeOffset> Instants() =>
        Gen.Choose(0, Minutes).Select(m => Origin + TimeSpan.FromMinutes(m)).ToArbitrary();

    /// <summary>Work in quarter hours up to 100 working hours (12.5 days), the statutory times the catalogue holds.</summary>
    private static Arbitrary<TimeSpan> Work() => Gen.Choose(0, 400).Select(q => TimeSpan.FromMinutes(15 * q)).ToArbitrary();

    private static bool InWorkingTime(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Vn);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return Calendar.IsWorkingDay(DateOnly.FromDateTime(local.DateTime))
            && WorkingCalendar.DefaultPeriods.Any(p => time >= p.Start && time <= p.End);
    }

    [Property(MaxTest = 2000)]
    public Property Adding_work_then_measuring_it_gives_it_back_and_lands_in_working_time() =>
        Prop.ForAll(Instants(), Work(), (start, work) =>
        {
            var due = Calendar.Add(start, work);
            return Calendar.Between(start, due) == work && InWorkingTime(due) && due >= start;
        });

    [Property(MaxTest = 2000)]
    public Property Later_starts_never_fall_due_earlier() =>
        Prop.ForAll(Instants(), Instants(), Work(), (a, b, work) =>
        {
            var (early, late) = a <= b ? (a, b) : (b, a);
            return Calendar.Add(early, work) <= Calendar.Add(late, work);
        });

    [Property(MaxTest = 2000)]
    public Property Working_time_adds_up_across_any_instant_between() =>
        Prop.ForAll(Instants(), Instants(), Instants(), (a, b, c) =>
        {
            var sorted = new[] { a, b, c }.Order().ToArray();
            return Calendar.Between(sorted[0], sorted[1]) + Calendar.Between(sorted[1], sorted[2]) == Calendar.Between(sorted[0], sorted[2]);
        });

    [Property(MaxTest = 2000)]
    public Property The_next_opening_is_in_working_time_not_before_the_instant_and_its_own_next_opening() =>
        Prop.ForAll(Instants(), instant =>
        {
            var opening = Calendar.NextOpening(instant);
            return opening >= instant && InWorkingTime(opening) && Calendar.NextOpening(opening) == opening
                && Calendar.Between(instant, opening) == TimeSpan.Zero;
        });

    [Property(MaxTest = 2000)]
    public Property An_instant_belongs_to_the_vietnamese_day_month_quarter_and_year_it_falls_in() =>
        Prop.ForAll(Instants(), instant =>
        {
            var local = instant.ToOffset(Vn);
            string[] expected = [$"{local:yyyy-MM-dd}", $"{local:yyyy-MM}", $"{local:yyyy}-Q{(local.Month + 2) / 3}", $"{local:yyyy}"];
            var periods = Period.Containing(instant.ToUniversalTime());
            return periods.SequenceEqual(expected)
                && periods.All(p => Period.Bounds(p) is var (from, to) && from <= instant && instant < to);
        });

    [Property(MaxTest = 1000)]
    public Property A_period_is_overdue_at_its_close_exactly_when_it_ends_after_the_due_time_and_no_later_than_the_settling() =>
        Prop.ForAll(Instants(), Gen.Choose(0, 60 * 24 * 100).Select(m => TimeSpan.FromMinutes(m)).ToArbitrary(), (due, late) =>
        {
            var settled = due + late;
            var ending = Period.EndingWithin(due, settled).ToList();
            var ends = ending.Select(p => Period.Bounds(p).To).ToList();
            // Every period closing in between is listed, once; days are listed in order.
            var days = Enumerable.Range(0, (int)late.TotalDays + 2)
                .Select(d => VietnamTime.ToLocal(due).Date.AddDays(d + 1))
                .Select(d => new DateTimeOffset(d, Vn))
                .Count(end => end > due && end <= settled);
            return ends.All(end => end > due && end <= settled) && ending.Distinct().Count() == ending.Count
                && ending.Count(p => p.Length == 10) == days;
        });
}
