using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/dossiers?unitId=&amp;status=&amp;overdue=true&amp;late=true&amp;dueToday=true&amp;assignedTo=me&amp;waiting=true</c>: a
/// counter's day, within the caller's units, paged, soonest due first. A unit's list holds the dossiers it received and
/// those it performs a step of (liên thông); <c>waiting</c> keeps those whose step in progress is the unit's ("waiting for us"). <c>overdue</c> is past the appointment (an apology's new date
/// included), <c>late</c> past the statutory due time whatever the apology said. Lists carry no contact details.
/// </summary>
public static class Queue
{
    public sealed record QueueItem(
        string Code, string Status, string ProcedureCode, string? ProcedureName, Guid UnitId, string ApplicantName,
        DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, DateTimeOffset? NewDueAt, string? CurrentStep, Guid? AssigneeId, int Version);

    private static readonly string[] Statuses = [.. PortalStatus.Map.Keys];

    public static void MapQueue(this IEndpointRouteBuilder app) => app.MapGet("/api/dossiers", List);

    private static async Task<IResult> List(
        HttpContext http, Guid? unitId, string? status, bool? overdue, bool? late, bool? dueToday, string? assignedTo, bool? waiting, NpgsqlDataSource dataSource,
        UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var paging = Paging.From(http.Request, errors);
        if (status is not null && !Statuses.Contains(status)) errors.Add("status", "One of: " + string.Join(", ", Statuses) + ".");
        if (assignedTo is not (null or "me") && !Guid.TryParse(assignedTo, out _)) errors.Add("assignedTo", "me, or an official's id.");
        if (errors.Any) return errors.ToResult();

        var caller = Caller.From(http);
        var (covered, units) = await scope.ListedAsync(caller, unitId, ct);
        if (!covered) return Problems.NotFound($"No unit {unitId} among yours.");
        Guid? assignee = assignedTo == "me" ? caller.Id : assignedTo is null ? null : Guid.Parse(assignedTo);

        var now = time.GetUtcNow();
        var local = now.ToOffset(WorkingCalendar.Offset);
        var endOfDay = new DateTimeOffset(local.Date.AddDays(1), WorkingCalendar.Offset);
        var filter = new QueueFilter();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One unit is an equality, not ANY: only then can the (unit, due) index hand rows over already in queue order. So the
        // list names only the units that receive dossiers (a commune, not the police attached to it), and only a unit that
        // performs steps of others' dossiers (a land office) needs the wider condition.
        var (receiving, performsSteps) = units is null ? (null, false) : (await connection.ListAsync(null, """
            SELECT array(SELECT u FROM unnest($1::uuid[]) u WHERE EXISTS (SELECT 1 FROM dossiers WHERE unit_id = u)),
                   EXISTS (SELECT 1 FROM dossier_steps WHERE unit_id = ANY($1))
            """, r => ((Guid[]?)r.GetFieldValue<Guid[]>(0), r.GetBoolean(1)), ct, units)).Single();
        if (performsSteps)
            filter.Where("d.id IN (SELECT id FROM dossiers WHERE unit_id = ANY({0}) UNION SELECT dossier_id FROM dossier_steps WHERE unit_id = ANY({1}))",
                receiving!, units);
        else if (receiving is [var single]) filter.Where("d.unit_id = {0}", single);
        else if (receiving is not null) filter.Where("d.unit_id = ANY({0})", receiving);
        if (waiting == true && units is not null)
            filter.Where($"{Open} AND EXISTS (SELECT 1 FROM dossier_steps w WHERE w.dossier_id = d.id AND w.index = d.current_step AND coalesce(w.unit_id, d.unit_id) = ANY({{0}}))", units);
        if (status is not null) filter.Where("d.status = {0}", status);
        if (overdue == true) filter.Where($"{Open} AND {DueAt} < {{0}}", now);
        if (dueToday == true) filter.Where($"{Open} AND {DueAt} >= {{0}} AND {DueAt} < {{1}}", now, endOfDay);
        if (late == true) filter.Where($"{Open} AND d.due_at < {{0}}", now);
        if (assignee is not null)
            filter.Where("EXISTS (SELECT 1 FROM dossier_steps a WHERE a.dossier_id = d.id AND a.index = d.current_step AND a.assignee_id = {0})", assignee);

        var items = await connection.QueryAsync(null, $"""
            SELECT d.code, d.status, d.procedure_code, d.procedure_name, d.unit_id, d.applicant->>'fullName' AS applicant_name, d.received_at,
                   d.due_at, d.new_due_at, s.name AS current_step, s.assignee_id, d.version
            FROM (SELECT * FROM dossiers d WHERE {filter.Sql} ORDER BY {DueAt} NULLS LAST, d.code LIMIT {paging.PageSize} OFFSET {paging.Offset}) d
            LEFT JOIN dossier_steps s ON s.dossier_id = d.id AND s.index = d.current_step
            ORDER BY {DueAt} NULLS LAST, d.code
            """, filter.Args, row => new QueueItem(row.Get<string>("code"), row.Get<string>("status"), row.Get<string>("procedure_code"),
                row.Get<string?>("procedure_name"), row.Get<Guid>("unit_id"), row.Get<string?>("applicant_name") ?? "",
                row.Get<DateTimeOffset>("received_at"), row.Get<DateTimeOffset?>("due_at"), row.Get<DateTimeOffset?>("new_due_at"),
                row.Get<string?>("current_step"), row.Get<Guid?>("assignee_id"), row.Get<int>("version")), ct);

        // Counting a million matches costs more than the page itself, so the count stops a little past what paging can reach.
        var countLimit = Math.Max(CountedAtMost, paging.Offset + paging.PageSize);
        var counted = await connection.QuerySingleOrDefaultAsync(null,
            $"SELECT count(*) AS matches FROM (SELECT 1 FROM dossiers d WHERE {filter.Sql} LIMIT {countLimit + 1}) matches", filter.Args,
            row => row.Get<long>("matches"), ct);
        return Results.Ok(new QueuePage(items, paging.Page, paging.PageSize, Math.Min(counted, countLimit), counted <= countLimit));
    }

    private const int CountedAtMost = 10_000;
    private const string DueAt = "coalesce(d.new_due_at, d.due_at)";
    private const string Open = "d.closed_at IS NULL AND d.resolved_at IS NULL";

    /// <summary>
    /// The list shape of docs/api.md §1, plus <c>totalIsExact</c>: false when more dossiers match than the count went to
    /// (10,000, or the end of the page asked for), and <c>total</c> is that bound.
    /// </summary>
    public sealed record QueuePage(IReadOnlyList<QueueItem> Items, int Page, int PageSize, long Total, bool TotalIsExact);

    /// <summary>The conditions a call asked for, and only those, so the planner sees plain predicates it can index.</summary>
    private sealed class QueueFilter
    {
        private readonly List<string> conditions = [];

        public Dictionary<string, object?> Args { get; } = [];

        public string Sql => conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);

        public void Where(string condition, params object?[] args)
        {
            conditions.Add("(" + string.Format(System.Globalization.CultureInfo.InvariantCulture, condition,
                args.Select(a => (object)Arg(a)).ToArray()) + ")");
        }

        private string Arg(object? value)
        {
            var name = "p" + Args.Count;
            Args[name] = value;
            return "@" + name;
        }
    }
}
