using MotCua.Evaluation.Indicators;
using MotCua.Evaluation.Officials;
using MotCua.Evaluation.Policy;
using MotCua.Data.Database;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Evaluation.Rankings;

/// <summary>
/// <c>GET /api/evaluation/rankings?unitId=&amp;period=&amp;format=csv</c>: the unit's child units, each with its whole
/// subtree, ranked by the Decision 766 score measured (then on-time rate, then name), and the unit's own officials
/// ranked by their Decree 335 points (then task results, then name). Agencies attached to the unit (a land office, the tax
/// office) are ranked apart from the territorial units (<c>agencies</c>): a commune is not measured against a land office.
/// </summary>
public static class RankingsApi
{
    public sealed record RankedUnit(int Rank, Guid UnitId, string? Code, string? Name, UnitReport.Indicators Indicators);

    public sealed record RankedOfficial(int Rank, TaskResults.OfficialResult Official);

    public sealed record Rankings(
        Guid UnitId, string Period, IReadOnlyList<RankedUnit> Units, IReadOnlyList<RankedOfficial> Officials, IReadOnlyList<RankedUnit> Agencies);

    public static void MapRankings(this IEndpointRouteBuilder app) => app.MapGet("/api/evaluation/rankings", Get);

    private static async Task<IResult> Get(
        Guid? unitId, string? period, string? format, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (unitId is null) errors.Add("unitId", "Required: the unit whose child units and officials are ranked.");
        var csv = Csv.Requested(http.Request, format, errors);
        var (asked, asOf) = ReportingPeriod.Parse(period, time, errors);
        if (errors.Any) return errors.ToResult();
        var unit = unitId!.Value;
        if (!await scope.CoversAsync(http, unit)) return Problems.NotFound($"No unit {unit} among yours.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var policy = await EvaluationPolicy.LoadAsync(connection, ct);
        var figures = await Figures.LoadAsync(connection, unit, asked, asOf, byChild: true, ct);
        // The children of the period: a unit closed into the ranked unit itself is one of them even though its parent differs.
        var names = (await connection.ListAsync(null, "SELECT id, code, name, type FROM unit_directory WHERE id = ANY($1)",
            r => (Id: r.GetGuid(0), Code: r.NullableString(1), Name: r.NullableString(2), Type: r.NullableString(3)), ct, figures.Keys.ToArray()))
            .ToDictionary(u => u.Id);
        var children = figures
            .Select(child => (Unit: names.GetValueOrDefault(child.Key), Indicators: UnitReport.Compute(child.Key, asked, child.Value, null, policy)))
            .ToLookup(u => u.Unit.Type == MotCua.Contracts.UnitTypes.Agency);
        List<RankedUnit> Ranked(bool agencies) => [.. children[agencies]
            .OrderByDescending(u => u.Indicators.Index766.Score ?? -1).ThenByDescending(u => u.Indicators.OnTimeRate ?? -1)
            .ThenBy(u => u.Unit.Name, StringComparer.Ordinal)
            .Select((u, i) => new RankedUnit(i + 1, u.Indicators.UnitId, u.Unit.Code, u.Unit.Name, u.Indicators))];
        var officials = (await TaskResults.ForUnitAsync(connection, unit, asked, asOf, policy.TaskResults, ct)).Select((o, i) => new RankedOfficial(i + 1, o)).ToList();
        var rankings = new Rankings(unit, asked, Ranked(agencies: false), officials, Ranked(agencies: true));
        return csv ? ToCsv(rankings).ToResult($"rankings-{unit}-{asked}.csv") : Results.Ok(rankings);
    }

    /// <summary>One table for the lists: <c>kind</c> is unit, agency or official.</summary>
    private static Csv.Table ToCsv(Rankings rankings)
    {
        var table = new Csv.Table("kind", "rank", "id", "name", "period", "received", "resolved", "on_time", "late", "overdue_pending", "on_time_rate",
            "index766_score", "classification", "steps", "task_results", "general_criteria", "total", "band");
        foreach (var (kind, u) in rankings.Units.Select(u => ("unit", u)).Concat(rankings.Agencies.Select(u => ("agency", u))))
        {
            var i = u.Indicators;
            table.Row(kind, u.Rank, u.UnitId, u.Name, rankings.Period, i.Received, i.Resolved, i.OnTime, i.Late, i.OverduePending, i.OnTimeRate,
                i.Index766.Score, i.Classification?.Grade, null, null, null, null, null);
        }
        foreach (var (rank, o) in rankings.Officials)
            table.Row("official", rank, o.OfficialId, o.FullName, rankings.Period, null, null, o.Steps.Early + o.Steps.OnTime, o.Steps.Late, null, null,
                null, null, o.Steps.Ended, o.TaskResults?.Total, o.GeneralCriteria?.Points, o.Total, o.Band);
        return table;
    }
}
