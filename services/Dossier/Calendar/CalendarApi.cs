
namespace MotCua.Dossier.Calendar;

/// <summary>
/// <c>PUT /api/calendar/{year}</c> <c>{ holidays, workingSaturdays }</c> (admin) and <c>GET /api/calendar/{year}</c>.
/// Dossiers already received keep their deadlines; the new calendar counts from the next computation.
/// </summary>
public static class CalendarApi
{
    public sealed record CalendarYear(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingSaturdays, IReadOnlyList<string> Periods);

    public sealed record CalendarRequest(List<DateOnly>? Holidays, List<DateOnly>? WorkingSaturdays);

    public static void MapCalendarApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/calendar/{year:int}", Get);
        app.MapPut("/api/calendar/{year:int}", Put).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Get(int year, NpgsqlDataSource dataSource, CalendarStore store, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.ListAsync(null, "SELECT holidays, working_saturdays FROM calendars WHERE year = $1",
            r => new CalendarYear(year, r.GetFieldValue<DateOnly[]>(0).Order().ToArray(), r.GetFieldValue<DateOnly[]>(1).Order().ToArray(),
                Describe(store)), ct, year);
        return rows.Count == 1 ? Results.Ok(rows[0]) : Problems.NotFound($"No calendar for {year}; PUT one.");
    }

    private static async Task<IResult> Put(int year, CalendarRequest? request, NpgsqlDataSource dataSource, CalendarStore store, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (year < RecordDates.Earliest.Year || year > RecordDates.Latest.Year)
            errors.Add("year", $"A year from {RecordDates.Earliest.Year} to {RecordDates.Latest.Year}.");
        if (request?.Holidays is null) errors.Add("holidays", "Required: a list of dates (it may be empty).");
        if (request?.WorkingSaturdays is null) errors.Add("workingSaturdays", "Required: a list of dates (it may be empty).");
        if (errors.Any) return errors.ToResult();

        for (var i = 0; i < request!.Holidays!.Count; i++)
            if (request.Holidays[i].Year != year) errors.Add($"holidays[{i}]", $"Not in {year}.");
        for (var i = 0; i < request.WorkingSaturdays!.Count; i++)
        {
            var day = request.WorkingSaturdays[i];
            if (day.Year != year) errors.Add($"workingSaturdays[{i}]", $"Not in {year}.");
            else if (day.DayOfWeek != DayOfWeek.Saturday) errors.Add($"workingSaturdays[{i}]", "Not a Saturday.");
            else if (request.Holidays.Contains(day)) errors.Add($"workingSaturdays[{i}]", "Also listed as a holiday.");
        }
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(null, """
            INSERT INTO calendars (year, holidays, working_saturdays) VALUES ($1, $2, $3)
            ON CONFLICT (year) DO UPDATE SET holidays = $2, working_saturdays = $3
            """, ct, year, request.Holidays.Distinct().Order().ToArray(), request.WorkingSaturdays.Distinct().Order().ToArray());
        store.Invalidate();
        return Results.Ok(new CalendarYear(year, request.Holidays.Distinct().Order().ToArray(),
            request.WorkingSaturdays.Distinct().Order().ToArray(), Describe(store)));
    }

    private static string[] Describe(CalendarStore store) => [.. store.Periods.Select(p => $"{p.Start:HH\\:mm}-{p.End:HH\\:mm}")];
}
