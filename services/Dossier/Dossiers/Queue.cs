using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/dossiers?unitId=&amp;status=&amp;overdue=true&amp;late=true&amp;dueToday=true&amp;assignedTo=me</c>: a counter's day,
/// within the caller's units, paged, soonest due first. <c>overdue</c> is past the appointment (an apology's new date
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
        HttpContext http, Guid? unitId, string? status, bool? overdue, bool? late, bool? dueToday, string? assignedTo, NpgsqlDataSource dataSource,
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
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.ListAsync(null, """
            SELECT d.code, d.status, d.procedure_code, d.procedure_name, d.unit_id, d.applicant->>'fullName', d.received_at, d.due_at,
                   d.new_due_at, s.name, s.assignee_id, d.version, count(*) OVER ()
            FROM dossiers d
            LEFT JOIN dossier_steps s ON s.dossier_id = d.id AND s.index = d.current_step
            WHERE ($1::uuid[] IS NULL OR d.unit_id = ANY($1))
              AND ($2::text IS NULL OR d.status = $2)
              AND (NOT $3 OR (d.closed_at IS NULL AND d.resolved_at IS NULL AND coalesce(d.new_due_at, d.due_at) < $5))
              AND (NOT $4 OR (d.closed_at IS NULL AND d.resolved_at IS NULL AND coalesce(d.new_due_at, d.due_at) >= $5
                              AND coalesce(d.new_due_at, d.due_at) < $6))
              AND ($7::uuid IS NULL OR s.assignee_id = $7)
              AND (NOT $10 OR (d.closed_at IS NULL AND d.resolved_at IS NULL AND d.due_at < $5))
            ORDER BY coalesce(d.new_due_at, d.due_at) NULLS LAST, d.code
            LIMIT $8 OFFSET $9
            """, r => (Item: new QueueItem(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.GetGuid(4),
                r.NullableString(5) ?? "", r.GetFieldValue<DateTimeOffset>(6), r.Nullable<DateTimeOffset>(7), r.Nullable<DateTimeOffset>(8),
                r.NullableString(9), r.Nullable<Guid>(10), r.GetInt32(11)), Total: r.GetInt64(12)),
            ct, units, status, overdue == true, dueToday == true, now, endOfDay, assignee, paging.PageSize, paging.Offset, late == true);
        return Results.Ok(new PagedList<QueueItem>(rows.Select(r => r.Item).ToList(), paging.Page, paging.PageSize,
            rows.FirstOrDefault().Total));
    }
}
