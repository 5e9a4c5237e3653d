using System.Globalization;
using MotCua.Personnel.Officials;
using MotCua.Personnel.Positions;
using MotCua.Personnel.Standards;
using MotCua.Personnel.Units;

namespace MotCua.Personnel.Reports;

/// <summary>
/// <c>GET /api/reports/staffing?unitId=&amp;asOf=</c>: what a Department of Home Affairs reports for a
/// subtree on a date — head counts, qualification shares, the standard, staffing against quota, position
/// fit and training. Every breakdown lists every level, so its counts add up to the total exactly.
/// JSON, or CSV with <c>format=csv</c> or <c>Accept: text/csv</c>.
/// </summary>
public static class StaffingReport
{
    public sealed record Share(int Count, decimal Percent);

    public sealed record CommuneStandard(int Total, int WithOfficials, int AllUpToStandard);

    public sealed record Staffing(int Positions, int Quota, int Filled, int Vacancies, int OverQuota);

    public sealed record Training(int OfficialsTrained, int Courses);

    public sealed record Report(
        Guid UnitId, Guid AnsweredBy, DateOnly AsOf, int Total,
        IReadOnlyDictionary<string, Share> ByCategory, IReadOnlyDictionary<string, Share> ByGender, Share EthnicMinority,
        IReadOnlyDictionary<string, Share> GeneralEducation, IReadOnlyDictionary<string, Share> Professional,
        IReadOnlyDictionary<string, Share> PoliticalTheory, IReadOnlyDictionary<string, Share> StateManagement,
        Share MeetingStandard, CommuneStandard Communes, Staffing Quota, Share FitPosition, Training Trainings);

    public static void MapStaffingReport(this IEndpointRouteBuilder app) => app.MapGet("/api/reports/staffing", Get);

    private static async Task<IResult> Get(
        Guid? unitId, DateOnly? asOf, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (unitId is null) errors.Add("unitId", "Required.");
        if (asOf is { } asked && !RecordDates.Contains(asked)) errors.Add("asOf", RecordDates.Range);
        var csv = Csv.Requested(http.Request, format, errors);
        if (errors.Any || unitId is null) return errors.ToResult();
        var day = asOf ?? VietnamTime.Today(time);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var unit = await UnitTree.AnswerableOnAsync(connection, unitId.Value, day, ct);
        if (unit is null || !await scope.CoversAsync(http, unitId.Value) || !await scope.CoversAsync(http, unit.Id))
            return Problems.NotFound($"No unit {unitId}.");
        var report = await BuildAsync(connection, unitId.Value, unit.Id, day, ct);
        return csv ? ToCsv(report).ToResult($"staffing-{day:yyyy-MM-dd}.csv") : Results.Ok(report);
    }

    public static async Task<Report> BuildAsync(NpgsqlConnection connection, Guid asked, Guid root, DateOnly day, CancellationToken ct)
    {
        var subtree = (await UnitTree.SubtreeAsync(connection, null, root, ct)).ToArray();
        var officials = await connection.ListAsync(null, $"""
            SELECT {Official.Columns}, p.unit_id {Official.PostedOn} WHERE p.unit_id = ANY($2)
            """, r => Official.Read(r, r.GetGuid(Official.Width)), ct, day, subtree);
        var rules = await StandardRuleSet.LoadAsync(connection, null, ct);
        var positions = await connection.ListAsync(null, $"SELECT {Position.Columns} FROM positions WHERE unit_id = ANY($1)",
            Position.Read, ct, subtree);
        var communes = await connection.ListAsync(null, """
            SELECT id FROM units WHERE id = ANY($1) AND type = ANY($2) AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
            """, r => r.GetGuid(0), ct, subtree, Unit.CommuneLevel, day);
        var trainings = await connection.ListAsync(null, """
            SELECT official_id, count(*)::int FROM trainings WHERE official_id = ANY($1) AND completed_on <= $2 GROUP BY official_id
            """, r => (Official: r.GetGuid(0), Courses: r.GetInt32(1)), ct, officials.Select(o => o.Id).ToArray(), day);

        var total = officials.Count;
        Share ShareOf(int count) => new(count, total == 0 ? 0 : Math.Round(100m * count / total, 2, MidpointRounding.AwayFromZero));
        IReadOnlyDictionary<string, Share> By(IEnumerable<string> keys, Func<Official, string> key) =>
            keys.ToDictionary(k => k, k => ShareOf(officials.Count(o => key(o) == k)));

        var meets = officials.Where(rules.Meets).Select(o => o.Id).ToHashSet();
        var byCommune = officials.Where(o => o.UnitId is { } u && communes.Contains(u)).GroupBy(o => o.UnitId!.Value).ToList();
        var positionsById = positions.ToDictionary(p => p.Id);
        var placed = officials.Where(o => o.PositionId is { } p && positionsById.ContainsKey(p)).ToList();
        var filled = placed.GroupBy(o => o.PositionId!.Value).ToDictionary(g => g.Key, g => g.Count());
        var fit = placed.Count(o => positionsById[o.PositionId!.Value].Fits(o));

        return new Report(asked, root, day, total,
            By(Qualifications.Categories, o => o.Category),
            By(Qualifications.Genders, o => o.Gender),
            ShareOf(officials.Count(o => o.EthnicMinority)),
            By(Qualifications.General.Levels, o => o.Education.General!),
            By(Qualifications.Professional.Levels, o => o.Education.Professional!),
            By(Qualifications.PoliticalTheory.Levels, o => o.Education.PoliticalTheory!),
            By(Qualifications.StateManagement.Levels, o => o.Education.StateManagement!),
            ShareOf(meets.Count),
            new CommuneStandard(communes.Count, byCommune.Count, byCommune.Count(g => g.All(o => meets.Contains(o.Id)))),
            new Staffing(positions.Count, positions.Sum(p => p.Quota), placed.Count,
                positions.Sum(p => Math.Max(0, p.Quota - filled.GetValueOrDefault(p.Id))),
                positions.Sum(p => Math.Max(0, filled.GetValueOrDefault(p.Id) - p.Quota))),
            new Share(fit, placed.Count == 0 ? 0 : Math.Round(100m * fit / placed.Count, 2, MidpointRounding.AwayFromZero)),
            new Training(trainings.Count, trainings.Sum(t => t.Courses)));
    }

    /// <summary>One row per figure: <c>section,item,count,percent</c>, the way spreadsheets at the Sở Nội vụ take it.</summary>
    public static Csv.Table ToCsv(Report report)
    {
        var csv = new Csv.Table("section", "item", "count", "percent");
        void Row(string section, string item, int count, decimal? percent = null) => csv.Row(section, item, count, percent?.ToString("0.00", CultureInfo.InvariantCulture));
        void Rows(string section, IReadOnlyDictionary<string, Share> shares)
        {
            foreach (var (item, share) in shares) Row(section, item, share.Count, share.Percent);
        }

        Row("total", "officials", report.Total);
        Rows("category", report.ByCategory);
        Rows("gender", report.ByGender);
        Row("ethnicity", "minority", report.EthnicMinority.Count, report.EthnicMinority.Percent);
        Rows("general_education", report.GeneralEducation);
        Rows("professional", report.Professional);
        Rows("political_theory", report.PoliticalTheory);
        Rows("state_management", report.StateManagement);
        Row("standard", "meeting", report.MeetingStandard.Count, report.MeetingStandard.Percent);
        Row("communes", "total", report.Communes.Total);
        Row("communes", "with_officials", report.Communes.WithOfficials);
        Row("communes", "all_up_to_standard", report.Communes.AllUpToStandard);
        Row("quota", "positions", report.Quota.Positions);
        Row("quota", "quota", report.Quota.Quota);
        Row("quota", "filled", report.Quota.Filled);
        Row("quota", "vacancies", report.Quota.Vacancies);
        Row("quota", "over_quota", report.Quota.OverQuota);
        Row("position_fit", "fitting", report.FitPosition.Count, report.FitPosition.Percent);
        Row("training", "officials_trained", report.Trainings.OfficialsTrained);
        Row("training", "courses", report.Trainings.Courses);
        return csv;
    }
}
