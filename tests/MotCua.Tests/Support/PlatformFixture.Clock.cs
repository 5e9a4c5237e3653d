using System.Globalization;
using System.Net;
using MotCua.Dossier.Calendar;

namespace MotCua.Tests.Support;

/// <summary>
/// The platform's simulated clock as the tests see it: where a run starts it, what time it is, the working calendar the
/// Dossier service counts with, and a start for tests whose figures must fall in one reporting month.
/// </summary>
public partial class PlatformFixture
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>The platform's (simulated) clock now, which other tests may have moved.</summary>
    public async Task<DateTimeOffset> NowAsync()
    {
        var (status, clock) = await SendAsync(Request(HttpMethod.Get, "/api/admin/clock", await TokenAsync()));
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"The clock could not be read: {status} {clock}");
        return clock.GetProperty("now").GetDateTimeOffset();
    }

    /// <summary>Moves the clock of every service forward to <paramref name="instant"/>.</summary>
    public async Task AdvanceClockToAsync(DateTimeOffset instant)
    {
        var (status, body) = await SendAsync(Request(HttpMethod.Post, "/api/admin/clock", await TokenAsync(), new { advanceTo = instant }));
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"The clock did not move to {instant:O}: {status} {body}");
    }

    /// <summary>The working calendar the Dossier service computes deadlines with, from its calendars of the years given.</summary>
    public async Task<WorkingCalendar> CalendarAsync(int fromYear, int toYear)
    {
        var holidays = new List<DateOnly>();
        var saturdays = new List<DateOnly>();
        IReadOnlyList<WorkingPeriod> periods = WorkingCalendar.DefaultPeriods;
        for (var year = fromYear; year <= toYear; year++)
        {
            var (status, calendar) = await SendAsync(Request(HttpMethod.Get, $"/api/calendar/{year}", await TokenAsync()));
            // A year without a calendar has no holidays for the service either.
            if (status == HttpStatusCode.NotFound) continue;
            holidays.AddRange(calendar.GetProperty("holidays").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture)));
            saturdays.AddRange(calendar.GetProperty("workingSaturdays").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture)));
            periods = [.. calendar.GetProperty("periods").EnumerateArray().Select(p => p.GetString()!.Split('-'))
                .Select(ends => new WorkingPeriod(TimeOnly.Parse(ends[0], CultureInfo.InvariantCulture), TimeOnly.Parse(ends[1], CultureInfo.InvariantCulture)))];
        }
        return new WorkingCalendar(periods, holidays, saturdays);
    }

    /// <summary>
    /// For a test that reads one month's figures of dossiers it receives now and lets fall due: moves the clock forward,
    /// only if it must, to the first working moment from which a receipt, its procedure's <paramref name="work"/> and the
    /// apology a minute past the due time all fall in one month (and so one quarter and year) in Viet Nam. On a month's or
    /// a year's last evening, a Friday night before a month's end or Tết's eve the dossier is received in one month and
    /// due, late and apologised for in another; the figures of one month then never show the whole story. Returns the
    /// moment the test receives from.
    /// </summary>
    public async Task<DateTimeOffset> WorkingStartWithinOneMonthAsync(TimeSpan work)
    {
        var now = await NowAsync();
        var year = now.ToOffset(Vietnam).Year;
        var calendar = await CalendarAsync(year - 1, year + 2);

        // As Schedule plans it: the clock starts at the next opening, and a procedure of a working day or less received
        // after the afternoon cut-off starts the next working day; the apology comes a minute after the due time.
        DateTimeOffset ApologyOf(DateTimeOffset receipt)
        {
            var start = calendar.NextOpening(receipt);
            var local = receipt.ToOffset(Vietnam);
            if (work <= calendar.WorkingDay && TimeOnly.FromDateTime(local.DateTime) >= MotCua.Dossier.Dossiers.Schedule.SameDayCutoff
                && DateOnly.FromDateTime(start.ToOffset(Vietnam).DateTime) == DateOnly.FromDateTime(local.DateTime))
                start = calendar.NextOpening(new DateTimeOffset(local.Date.AddDays(1), Vietnam));
            return calendar.Add(start, work).AddMinutes(1);
        }
        static string MonthOf(DateTimeOffset instant) => instant.ToOffset(Vietnam).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var at = now;
        while (MonthOf(at) != MonthOf(ApologyOf(at)))
        {
            var local = at.ToOffset(Vietnam);
            at = calendar.NextOpening(new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Vietnam).AddMonths(1));
        }
        if (at > now) await AdvanceClockToAsync(at);
        return at;
    }

    /// <summary>
    /// <c>MOTCUA_TEST_CLOCK_START</c> starts the platform's clock at a chosen moment, so the whole suite can be run where
    /// dates go wrong: an instant (<c>2026-12-31T17:45:00+07:00</c>; without an offset, Viet Nam's time) or a named moment,
    /// the next one ahead: <c>month-end</c> (17:45 on the month's last day), <c>year-end</c> (17:45 on 31 December),
    /// <c>friday-night</c> (22:30, inside the quiet hours) or <c>tet</c> (17:45 on the last working day before the Tết
    /// holidays of the platform's calendar). The clock only moves forward, so an instant must be ahead of the real time.
    /// </summary>
    private async Task StartClockAsync()
    {
        var text = Environment.GetEnvironmentVariable("MOTCUA_TEST_CLOCK_START")?.Trim();
        if (string.IsNullOrEmpty(text)) return;
        var now = await NowAsync();
        var start = await ClockStartAsync(text, now.ToOffset(Vietnam));
        if (start <= now)
            throw new InvalidOperationException(
                $"MOTCUA_TEST_CLOCK_START={text} is {start:O}, behind the platform's clock ({now:O}), which only moves forward: " +
                "give a later instant or a named moment (month-end, year-end, friday-night, tet).");
        await AdvanceClockToAsync(start);
    }

    private async Task<DateTimeOffset> ClockStartAsync(string text, DateTimeOffset now)
    {
        static DateTimeOffset At(DateTime day, int hour, int minute) => new(day.Date.AddHours(hour).AddMinutes(minute), Vietnam);
        switch (text.ToLowerInvariant())
        {
            case "month-end":
                for (var month = new DateTime(now.Year, now.Month, 1); ; month = month.AddMonths(1))
                    if (At(month.AddMonths(1).AddDays(-1), 17, 45) is var evening && evening > now) return evening;
            case "year-end":
                for (var year = now.Year; ; year++)
                    if (At(new DateTime(year, 12, 31), 17, 45) is var evening && evening > now) return evening;
            case "friday-night":
                for (var day = now.Date; ; day = day.AddDays(1))
                    if (day.DayOfWeek == DayOfWeek.Friday && At(day, 22, 30) is var night && night > now) return night;
            case "tet":
                for (var year = now.Year; year <= now.Year + 1; year++)
                {
                    var (found, body) = await SendAsync(Request(HttpMethod.Get, $"/api/calendar/{year}", await TokenAsync()));
                    if (found != HttpStatusCode.OK) continue;
                    HashSet<DateOnly> Dates(string name) =>
                        [.. body.GetProperty(name).EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture))];
                    var (holidays, saturdays) = (Dates("holidays"), Dates("workingSaturdays"));
                    // Tết is the first run of holidays in the year's first two months (New Year's Day stands alone).
                    var first = holidays.Where(d => d.Month <= 2 && Enumerable.Range(1, 3).Any(n => holidays.Contains(d.AddDays(n)))).Order().FirstOrDefault();
                    if (first == default) continue;
                    var eve = first.AddDays(-1);
                    while (holidays.Contains(eve) || (eve.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !saturdays.Contains(eve))) eve = eve.AddDays(-1);
                    if (At(eve.ToDateTime(TimeOnly.MinValue), 17, 45) is var evening && evening > now) return evening;
                }
                throw new InvalidOperationException($"MOTCUA_TEST_CLOCK_START=tet: no Tết holidays ahead in the calendars of {now.Year} and {now.Year + 1}.");
        }
        // An instant with an offset (or Z) keeps it; one without is Viet Nam's time.
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
            return parsed.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(parsed, Vietnam)
                : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
        throw new InvalidOperationException(
            $"MOTCUA_TEST_CLOCK_START={text}: give an instant (2026-12-31T17:45:00+07:00) or one of month-end, year-end, friday-night, tet.");
    }
}
