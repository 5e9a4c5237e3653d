namespace MotCua.Dossier.Calendar;

/// <summary>
/// Working time (thời gian làm việc) in Asia/Ho_Chi_Minh: the daily working periods (default 07:30–11:30
/// and 13:30–17:30), weekends off except make-up working Saturdays (ngày làm bù), public holidays off.
/// Exactly docs/domain.md §3: a start outside working time moves to the next opening, and
/// <c>due = start + N working hours</c> counting only working time; a due time that lands exactly on a
/// period's close stays there (Wednesday 17:30, not Thursday 07:30).
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>Vietnam has kept UTC+7 without daylight saving since 1975.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static readonly IReadOnlyList<WorkingPeriod> DefaultPeriods =
        [new(new TimeOnly(7, 30), new TimeOnly(11, 30)), new(new TimeOnly(13, 30), new TimeOnly(17, 30))];

    private readonly WorkingPeriod[] _periods;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingSaturdays;

    public WorkingCalendar(IEnumerable<WorkingPeriod> periods, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workingSaturdays)
    {
        _periods = [.. periods.OrderBy(p => p.Start)];
        if (_periods.Length == 0 || _periods.Any(p => p.End <= p.Start)
            || _periods.Zip(_periods.Skip(1)).Any(pair => pair.Second.Start < pair.First.End))
            throw new ArgumentException("Working periods must be non-empty, ordered and not overlapping.", nameof(periods));
        _holidays = [.. holidays];
        _workingSaturdays = [.. workingSaturdays];
    }

    public TimeSpan WorkingDay => TimeSpan.FromTicks(_periods.Sum(p => (p.End - p.Start).Ticks));

    public bool IsWorkingDay(DateOnly day) =>
        !_holidays.Contains(day)
        && (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) || _workingSaturdays.Contains(day));

    /// <summary>The instant itself when it is inside working time, otherwise the next period's start (in UTC).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset instant) => NextOpeningLocal(instant).ToUniversalTime();

    private DateTimeOffset NextOpeningLocal(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Offset);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        for (var guard = 0; guard < 3700; guard++, day = day.AddDays(1), time = TimeOnly.MinValue)
        {
            if (!IsWorkingDay(day)) continue;
            foreach (var period in _periods)
            {
                if (time < period.Start) return At(day, period.Start);
                if (time < period.End) return guard == 0 ? local : At(day, time);
            }
        }
        throw new InvalidOperationException("No working day within ten years: check the calendar.");
    }

    /// <summary><paramref name="start"/> plus <paramref name="work"/> of working time (in UTC).</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan work)
    {
        if (work < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(work), "Working time to add cannot be negative.");
        var at = NextOpeningLocal(start);
        var remaining = work;
        while (true)
        {
            var day = DateOnly.FromDateTime(at.DateTime);
            var time = TimeOnly.FromDateTime(at.DateTime);
            var period = _periods.First(p => time >= p.Start && time < p.End);
            var available = period.End - time;
            if (remaining <= available) return (at + remaining).ToUniversalTime();
            remaining -= available;
            at = NextOpeningLocal(At(day, period.End));
        }
    }

    public DateTimeOffset AddHours(DateTimeOffset start, double hours) => Add(start, TimeSpan.FromHours(hours));

    /// <summary>The working time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        var at = NextOpeningLocal(from);
        while (at < to)
        {
            var day = DateOnly.FromDateTime(at.DateTime);
            var time = TimeOnly.FromDateTime(at.DateTime);
            var period = _periods.First(p => time >= p.Start && time < p.End);
            var end = At(day, period.End);
            if (to <= end) return total + (to - at);
            total += end - at;
            at = NextOpeningLocal(end);
        }
        return total;
    }

    private static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);
}

public readonly record struct WorkingPeriod(TimeOnly Start, TimeOnly End);
