using Microsoft.AspNetCore.Authorization;
using MotCua.Evaluation.Indicators;
using MotCua.Evaluation.Policy;
using MotCua.Data.Database;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Evaluation.Officials;

/// <summary>
/// <c>GET /api/evaluation/officials/{id}?period=&amp;format=csv</c>: an official's steps, task-result points, the
/// supervisor's general-criteria points and the band, scored among the officials of the unit they were posted to at
/// the period's end. Officials see their own; others need the unit in their scope.
/// <c>PUT /api/evaluation/officials/{id}/general-criteria { period, points, note? }</c>: a leader of the official's
/// unit (or above) enters the 30 general-criteria points for a month or quarter, never their own.
/// </summary>
public static class OfficialReport
{
    public sealed record GeneralCriteriaRequest(string? Period, decimal? Points, string? Note);

    public static void MapOfficialReport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/evaluation/officials/{id:guid}", Get);
        app.MapPut("/api/evaluation/officials/{id:guid}/general-criteria", EnterGeneralCriteria)
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{MotCuaRoles.Leader},{MotCuaRoles.Admin}" });
    }

    private static async Task<IResult> Get(
        Guid id, string? period, string? format, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var csv = Csv.Requested(http.Request, format, errors);
        var (asked, asOf) = ReportingPeriod.Parse(period, time, errors);
        if (errors.Any) return errors.ToResult();
        var caller = Caller.From(http);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var result = await FindAsync(connection, id, asked, asOf, ct);
        if (result is null || (caller.Id != id && !await scope.CoversAsync(caller, result.UnitId, ct)))
            return Problems.NotFound($"No official {id} among yours.");
        return csv ? ToCsv([result]).ToResult($"official-{id}-{asked}.csv") : Results.Ok(result);
    }

    private static async Task<IResult> EnterGeneralCriteria(
        Guid id, GeneralCriteriaRequest? request, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        // Decree 335 tracks officials monthly or quarterly; the year's result is made from those.
        if (request?.Period is not { } period || !Period.IsValid(period) || period.Length is 4 or 10)
            errors.Add("period", "A month (2026-11) or a quarter (2026-Q4).");
        if (request?.Points is not { } points || points < 0 || points > 30 || decimal.Round(points, 1) != points)
            errors.Add("points", "From 0 to 30, to one decimal place.");
        if (request?.Note is { Length: > 2000 }) errors.Add("note", "At most 2000 characters.");
        if (errors.Any) return errors.ToResult();
        var caller = Caller.From(http);
        if (caller.Id == id)
            return Results.Problem("Officials do not score themselves; their supervisor does.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

        var asOf = Period.Bounds(request!.Period!).To;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var result = await FindAsync(connection, id, request.Period!, now < asOf ? now : asOf, ct);
        if (result is null || !await scope.CoversAsync(caller, result.UnitId, ct)) return Problems.NotFound($"No official {id} among yours.");
        await connection.ExecuteAsync(null, """
            INSERT INTO general_criteria (official_id, period, points, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (official_id, period) DO UPDATE SET points = $3, note = $4, entered_by = $5, entered_at = $6
            """, ct, id, request.Period, request.Points, request.Note?.Trim(), caller.Id, now);
        return Results.Ok(await FindAsync(connection, id, request.Period!, now < asOf ? now : asOf, ct));
    }

    private static async Task<TaskResults.OfficialResult?> FindAsync(
        NpgsqlConnection connection, Guid id, string period, DateTimeOffset asOf, CancellationToken ct)
    {
        var day = ReportingPeriod.LastDay(asOf);
        var unit = await connection.ScalarAsync<Guid?>(null, """
            SELECT unit_id FROM official_postings WHERE official_id = $1 AND valid_from <= $2 ORDER BY valid_from DESC LIMIT 1
            """, ct, id, day);
        if (unit is null) return null;
        var weights = (await EvaluationPolicy.LoadAsync(connection, ct)).TaskResults;
        return (await TaskResults.ForUnitAsync(connection, unit.Value, period, asOf, weights, ct)).SingleOrDefault(o => o.OfficialId == id);
    }

    public static Csv.Table ToCsv(IEnumerable<TaskResults.OfficialResult> officials)
    {
        var table = new Csv.Table("official_id", "full_name", "unit_id", "period", "regime", "steps", "steps_early", "steps_on_time", "steps_late",
            "apologies_at_fault", "escalations_at_fault", "quantity", "quality", "timeliness", "task_results", "general_criteria", "total", "band",
            "excellent_capped");
        foreach (var o in officials)
            table.Row(o.OfficialId, o.FullName, o.UnitId, o.Period, o.Regime, o.Steps.Ended, o.Steps.Early, o.Steps.OnTime, o.Steps.Late,
                o.Steps.ApologiesAtFault, o.Steps.EscalationsAtFault, o.TaskResults?.Quantity, o.TaskResults?.Quality, o.TaskResults?.Timeliness,
                o.TaskResults?.Total, o.GeneralCriteria?.Points, o.Total, o.Band, o.ExcellentCapped);
        return table;
    }
}
