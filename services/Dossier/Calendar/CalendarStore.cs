
namespace MotCua.Dossier.Calendar;

/// <summary>
/// The province's working calendar, from the <c>calendars</c> table and the working periods of
/// <c>Calendar:Periods</c> (e.g. <c>07:30-11:30,13:30-17:30</c>). Kept for a short while: an edit made on
/// another instance is seen within <see cref="Freshness"/>, one made here at once.
/// </summary>
public sealed class CalendarStore(NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (WorkingCalendar Calendar, DateTimeOffset LoadedAt)? _cached;

    public IReadOnlyList<WorkingPeriod> Periods { get; } = ParsePeriods(configuration["Calendar:Periods"]);

    /// <summary>How long a working day is under the configured periods: what "one working day" of a statutory time means.</summary>
    public TimeSpan WorkingDay => TimeSpan.FromTicks(Periods.Sum(p => (p.End - p.Start).Ticks));

    public async Task<WorkingCalendar> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cached is { } fresh && now - fresh.LoadedAt < Freshness && now >= fresh.LoadedAt) return fresh.Calendar;
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var years = await connection.ListAsync(null, "SELECT holidays, working_saturdays FROM calendars", r =>
                (Holidays: r.GetFieldValue<DateOnly[]>(0), Saturdays: r.GetFieldValue<DateOnly[]>(1)), ct);
            var calendar = new WorkingCalendar(Periods, years.SelectMany(y => y.Holidays), years.SelectMany(y => y.Saturdays));
            _cached = (calendar, now);
            return calendar;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _cached = null;

    private static WorkingPeriod[] ParsePeriods(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? [.. WorkingCalendar.DefaultPeriods]
            : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(period =>
            {
                var ends = period.Split('-', StringSplitOptions.TrimEntries);
                return new WorkingPeriod(TimeOnly.Parse(ends[0], System.Globalization.CultureInfo.InvariantCulture),
                    TimeOnly.Parse(ends[1], System.Globalization.CultureInfo.InvariantCulture));
            })];
}
