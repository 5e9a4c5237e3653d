using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>POST /api/dossiers/{code}/actions/{action}</c> with optional <c>If-Match: &lt;version&gt;</c> and body
/// <c>{ note?, assigneeId?, reason?, newDueAt? }</c>. Checks role, state, step holder and version, then in one
/// transaction changes the dossier, appends to the control sheet and puts the events in the outbox.
/// 403 for a role or holder that may not act, 409 with the reason for a state that does not allow it
/// or a stale version.
/// </summary>
public static class DossierActions
{
    public sealed record ActionRequest(string? Note, Guid? AssigneeId, string? Reason, DateTimeOffset? NewDueAt = null);

    /// <summary>One action being taken: the locked dossier, who takes it and what they asked, inside the action's transaction.</summary>
    public sealed record Context(
        NpgsqlConnection Connection, NpgsqlTransaction Tx, DossierView Dossier, Caller Caller, ActionRequest Request,
        DateTimeOffset Now, WorkingCalendar Calendar, CancellationToken Ct)
    {
        /// <summary>The unit whose officials take this action (<see cref="ActingUnit"/>).</summary>
        public Guid Unit { get; init; }
    }

    /// <summary>
    /// An action of the workflow that another feature carries out (the apology by hand, in Lateness): the dossiers' side
    /// checks role, state and version as for every action and lends its transaction, without knowing what the action does.
    /// </summary>
    public interface IPluggedAction
    {
        string Name { get; }

        void Validate(ActionRequest request, FieldErrors errors);

        /// <returns>A refusal, or null when the action was done.</returns>
        Task<IResult?> ApplyAsync(Context context);
    }

    public static void MapDossierActions(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/dossiers/{code}/actions/{action}", Act);

    private static async Task<IResult> Act(
        string code, string action, ActionRequest? request, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope,
        CalendarStore calendars, IEnumerable<IPluggedAction> pluggedActions, TimeProvider time, CancellationToken ct)
    {
        if (!Workflow.Rules.TryGetValue(action, out var rule))
            return Problems.NotFound($"No action '{action}'. Actions: {string.Join(", ", Workflow.Rules.Keys)}.");
        request ??= new ActionRequest(null, null, null);
        var plugged = pluggedActions.FirstOrDefault(p => p.Name == action);
        var errors = new FieldErrors();
        plugged?.Validate(request, errors);
        if (rule.NeedsReason) errors.Require("reason", request.Reason, 2000);
        else if (request.Reason is { Length: > 2000 }) errors.Add("reason", "At most 2000 characters.");
        if (request.Note is { Length: > 2000 }) errors.Add("note", "At most 2000 characters.");
        int? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (int.TryParse(ifMatch.Replace("W/", "").Trim('"'), out var version)) expected = version;
            else errors.Add("If-Match", "The dossier's version, as returned in its ETag.");
        }
        if (errors.Any) return errors.ToResult();

        var caller = Caller.From(http);
        var calendar = await calendars.CurrentAsync(ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, tx, "code", code, ct, forUpdate: true);
        if (dossier is null || !await dossier.VisibleToAsync(scope, caller, ct)) return Problems.NotFound($"No dossier {code}.");
        if (!caller.Roles.Overlaps(rule.Roles))
            return Forbidden($"'{action}' is for {string.Join(" or ", rule.Roles)}.");
        var acting = ActingUnit(dossier, action);
        if (!await scope.CoversAsync(caller, acting, ct))
            return Forbidden($"'{action}' is for the officials of {await UnitNameAsync(connection, tx, acting, ct)}, whose step it is; "
                + "your unit sees this liên thông dossier but acts only on its own steps.");
        if (expected is { } v && v != dossier.Version)
            return Problems.Conflict($"The dossier changed (version {dossier.Version}, not {v}); reload it and try again.");
        if (!rule.From.Contains(dossier.Status))
            return Problems.Conflict($"A dossier that is {dossier.Status} cannot take '{action}' (it needs: {string.Join(", ", rule.From)}).");

        var context = new Context(connection, tx, dossier, caller, request, time.GetUtcNow().ToDatabasePrecision(), calendar, ct) { Unit = acting };
        var refusal = plugged is not null ? await plugged.ApplyAsync(context) : action switch
        {
            "receive" => await ReceiveAsync(context),
            "transfer" or "complete-step" or "approve" => await CompleteStepAsync(context, action),
            "assign" => await AssignAsync(context),
            "mark-result-ready" => await MarkResultReadyAsync(context),
            "return" => await ReturnAsync(context),
            "request-supplement" or "request-payment" => await PauseAsync(context, action),
            "resubmit" or "confirm-payment" => await ResumeAsync(context, action),
            _ => await CloseAsync(context, action),
        };
        if (refusal is not null) return refusal;

        await connection.ExecuteAsync(tx, "UPDATE dossiers SET version = version + 1 WHERE id = $1", ct, dossier.Id);
        await connection.ExecuteAsync(tx, NextCheck.RefreshSql, ct, new[] { dossier.Id });
        await tx.CommitAsync(ct);
        var updated = await DossierView.FindAsync(connection, null, "id", dossier.Id, ct);
        http.Response.Headers.ETag = $"\"{updated!.Version}\"";
        return Results.Ok(await Lookup.PresentAsync(connection, updated, http, time, ct));
    }

    /// <summary>
    /// Whose action it is in a liên thông dossier: the counter's (<see cref="Workflow.AtTheCounter"/>) belong to the receiving
    /// unit, every other to the unit performing the step in progress (the last step once the result is ready).
    /// </summary>
    private static Guid ActingUnit(DossierView dossier, string action) =>
        Workflow.AtTheCounter.Contains(action) || dossier.Steps.Count == 0
            ? dossier.UnitId
            : dossier.UnitOf(dossier.Current ?? dossier.Steps[^1]);

    private static async Task<string> UnitNameAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid unit, CancellationToken ct) =>
        (await ServiceAreas.FindAsync(connection, tx, unit, ct))?.Name is { Length: > 0 } name ? name : unit.ToString();

    private static IResult Forbidden(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>A counter officer receives an online registration: the clock starts now.</summary>
    private static async Task<IResult?> ReceiveAsync(Context c)
    {
        var registered = await Procedure.OfAsync(c.Connection, c.Tx, c.Dossier.ProcedureCode, c.Dossier.ProcedureVersion ?? 1, c.Ct);
        var (procedure, refusal) = await Routing.PlanAsync(c.Connection, c.Tx, registered, c.Dossier.UnitId, DateOnly.FromDateTime(VietnamTime.ToLocal(c.Now).DateTime), c.Ct);
        if (refusal is not null) return refusal;
        var received = await Reception.StartClockAsync(c.Connection, c.Tx, c.Dossier, procedure!, c.Calendar, c.Now, c.Caller, c.Ct);
        await Outbox.EnqueueAsync(c.Connection, c.Tx, new DossierReceived(Guid.NewGuid(), c.Now, received.Id, received.Code,
            received.ProcedureCode, received.UnitId, received.Channel, c.Now, received.DueAt, Reception.Contact(received), "received",
            received.ProcedureName, received.RuleSet), c.Ct);
        return null;
    }

    /// <summary>
    /// Hands the dossier from the current step to the next: <c>transfer</c> ends the counter's reception step,
    /// <c>complete-step</c> a specialist's (or leader's) step, <c>approve</c> the leader's. The caller must
    /// hold the step's role and, when the step is assigned, be its holder.
    /// </summary>
    private static async Task<IResult?> CompleteStepAsync(Context c, string action)
    {
        var d = c.Dossier;
        if (d.Current is not { } step) return Problems.Conflict("The dossier has no step in progress.");
        var last = d.Steps.Count - 1;
        if (step.Index == last) return Problems.Conflict("All processing steps are done: mark the result ready, then return it.");
        var (neededRole, what) = action switch
        {
            "transfer" => (MotCuaRoles.Counter, "reception"),
            "approve" => (MotCuaRoles.Leader, "approval"),
            _ => (step.Role, step.Name),
        };
        if (step.Role != neededRole) return Problems.Conflict($"The step in progress is '{step.Name}' ({step.Role}), not a {what} step.");
        if (!c.Caller.Roles.Contains(step.Role)) return Forbidden($"'{step.Name}' is a {step.Role}'s step.");
        if (step.AssigneeId is { } holder && holder != c.Caller.Id) return Forbidden($"'{step.Name}' is assigned to another official.");

        var next = d.Steps[step.Index + 1];
        if (c.Request.AssigneeId is { } assignee && await CheckAssigneeAsync(c, assignee, next) is { } refusal) return refusal;
        var timeliness = Timeliness.Of(c.Now, step.DueAt);
        await c.Connection.ExecuteAsync(c.Tx, """
            UPDATE dossier_steps SET completed_at = $3, completed_by = $4, outcome = $5 WHERE dossier_id = $1 AND index = $2
            """, c.Ct, d.Id, step.Index, c.Now, c.Caller.Id, timeliness);
        await c.Connection.ExecuteAsync(c.Tx, """
            UPDATE dossier_steps SET started_at = $3, assignee_id = $4 WHERE dossier_id = $1 AND index = $2
            """, c.Ct, d.Id, next.Index, c.Now, c.Request.AssigneeId);
        await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossiers SET status = 'processing', current_step = $2 WHERE id = $1",
            c.Ct, d.Id, next.Index);
        await HistoryAsync(c, action, step.Name, next.Name, step.DueAt, timeliness, c.Request.AssigneeId, d.UnitOf(step), d.UnitOf(next));

        var due = d.NewDueAt ?? d.DueAt!.Value;
        await Outbox.EnqueueAsync(c.Connection, c.Tx, new DossierStepCompleted(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode,
            d.UnitId, action, step.Index, step.Name, step.Role, c.Caller.Id, step.DueAt, timeliness, next.Index, next.Name,
            c.Request.AssigneeId, next.DueAt, due, d.UnitOf(step), d.UnitOf(next)), c.Ct);
        if (action == "transfer")
            await Outbox.EnqueueAsync(c.Connection, c.Tx, new DossierTransferred(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode,
                d.UnitId, next.Name, c.Request.AssigneeId, next.DueAt, due), c.Ct);
        return null;
    }

    /// <summary>
    /// Phân công: a leader of the unit performing the step in progress gives it to one of the unit's officials, when the
    /// unit handing it over named nobody (or to take it from one official and give it to another).
    /// </summary>
    private static async Task<IResult?> AssignAsync(Context c)
    {
        var d = c.Dossier;
        if (c.Request.AssigneeId is not { } assignee) return new FieldErrors().Add("assigneeId", "Required: the official to give the step to.").ToResult();
        if (d.Current is not { } step) return Problems.Conflict("The dossier has no step in progress.");
        if (step.Role == MotCuaRoles.Counter) return Problems.Conflict($"'{step.Name}' is the counter's; it is not assigned.");
        if (await CheckAssigneeAsync(c, assignee, step) is { } refusal) return refusal;
        await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossier_steps SET assignee_id = $3 WHERE dossier_id = $1 AND index = $2",
            c.Ct, d.Id, step.Index, assignee);
        await HistoryAsync(c, "assign", step.Name, step.Name, step.DueAt, null, assignee, d.UnitOf(step), d.UnitOf(step));
        await Outbox.EnqueueAsync(c.Connection, c.Tx, new DossierStepAssigned(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId,
            step.Index, step.Name, d.UnitOf(step), assignee, c.Caller.Id, step.DueAt), c.Ct);
        return null;
    }

    /// <summary>The official taking the next step must hold its role, be active and work in the step's unit (the dossier's, unless liên thông).</summary>
    private static async Task<IResult?> CheckAssigneeAsync(Context c, Guid assignee, DossierStep step)
    {
        var role = step.Role;
        var found = await c.Connection.ListAsync(c.Tx, """
            SELECT o.roles, o.disabled,
                   (SELECT p.unit_id FROM official_postings p WHERE p.official_id = o.id AND p.valid_from <= $2 ORDER BY p.valid_from DESC LIMIT 1)
            FROM official_directory o WHERE o.id = $1
            """, r => (Roles: r.GetFieldValue<string[]>(0), Disabled: r.GetBoolean(1), Unit: r.IsDBNull(2) ? (Guid?)null : r.GetGuid(2)),
            c.Ct, assignee, DateOnly.FromDateTime(VietnamTime.ToLocal(c.Now).DateTime));
        if (found.Count == 0 || found[0].Disabled || found[0].Unit != c.Dossier.UnitOf(step))
            return new FieldErrors().Add("assigneeId",
                $"No active official of {await UnitNameAsync(c.Connection, c.Tx, c.Dossier.UnitOf(step), c.Ct)}, which performs '{step.Name}', with that id.").ToResult();
        if (!found[0].Roles.Contains(role))
            return new FieldErrors().Add("assigneeId", $"The next step needs a {role}.").ToResult();
        return null;
    }

    /// <summary>Result ready at the counter (chờ trả kết quả): every step before the return step is done.</summary>
    private static async Task<IResult?> MarkResultReadyAsync(Context c)
    {
        var d = c.Dossier;
        if (d.Current is not { } step || step.Index != d.Steps.Count - 1)
            return Problems.Conflict($"'{d.Current?.Name}' is still in progress; the result is not ready.");
        var due = d.NewDueAt ?? d.DueAt!.Value;
        var timeliness = Timeliness.Of(c.Now, due);
        var waited = await c.Connection.ScalarAsync<double>(c.Tx,
            "UPDATE dossiers SET status = 'resolved', resolved_at = $2 WHERE id = $1 RETURNING waited_hours", c.Ct, d.Id, c.Now);
        var processing = Math.Max(0, c.Calendar.Between(d.ReceivedAt, c.Now).TotalHours - waited);
        await HistoryAsync(c, "mark-result-ready", step.Name, step.Name, due, timeliness);
        await Outbox.EnqueueAsync(c.Connection, c.Tx, new DossierResolved(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId,
            "resolved", c.Caller.Id, c.Request.Note, due, Reception.Contact(d), timeliness, Math.Round(processing, 4)), c.Ct);
        return null;
    }

    /// <summary>Trả kết quả: the return step ends; its timeliness is the dossier's, counted when the result was ready.</summary>
    private static async Task<IResult?> ReturnAsync(Context c)
    {
        var d = c.Dossier;
        var step = d.Steps[^1];
        var due = d.NewDueAt ?? d.DueAt!.Value;
        var timeliness = Timeliness.Of(d.ResolvedAt ?? c.Now, due);
        await c.Connection.ExecuteAsync(c.Tx, """
            UPDATE dossier_steps SET completed_at = $3, completed_by = $4, outcome = $5 WHERE dossier_id = $1 AND index = $2
            """, c.Ct, d.Id, step.Index, c.Now, c.Caller.Id, Timeliness.Of(c.Now, step.DueAt));
        await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossiers SET status = 'returned', closed_at = $2 WHERE id = $1", c.Ct, d.Id, c.Now);
        await HistoryAsync(c, "return", step.Name, null, step.DueAt, Timeliness.Of(c.Now, step.DueAt));
        await Outbox.EnqueueAsync(c.Connection, c.Tx, new DossierReturned(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId,
            "returned", c.Caller.Id, c.Request.Note, due, Reception.Contact(d), timeliness), c.Ct);
        return null;
    }

    /// <summary>
    /// A supplement request (Form 02) or a payment request stops the clock until the citizen answers. Because it stops
    /// the legal clock, each is held to the law: a supplement is asked for once per dossier, all at once (Decree 61), and
    /// a fee is asked for only where the procedure has one.
    /// </summary>
    private static async Task<IResult?> PauseAsync(Context c, string action)
    {
        var d = c.Dossier;
        if (action == "request-supplement" && d.Current is { } step && !c.Caller.Roles.Contains(step.Role))
            return Forbidden($"Only the holder of '{step.Name}' ({step.Role}) asks for a supplement at this step.");
        if (action == "request-supplement" && await c.Connection.ScalarAsync<bool>(c.Tx,
                "SELECT EXISTS (SELECT 1 FROM dossier_history WHERE dossier_id = $1 AND action = 'request-supplement')", c.Ct, d.Id))
            return Problems.Conflict("A supplement was already requested for this dossier; the law allows one request, naming everything missing at once.");
        if (action == "request-payment"
            && (await Procedure.OfAsync(c.Connection, c.Tx, d.ProcedureCode, d.ProcedureVersion ?? 1, c.Ct)).Fees <= 0)
            return Problems.Conflict("The procedure has no fee; there is nothing to ask the citizen to pay.");
        var status = action == "request-supplement" ? "waiting_supplement" : "waiting_payment";
        await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossiers SET status = $2, waiting_since = $3, reason = $4 WHERE id = $1",
            c.Ct, d.Id, status, c.Now, c.Request.Reason);
        await HistoryAsync(c, action, d.Current?.Name, d.Current?.Name, d.Current?.DueAt, null);
        DossierStatusChanged change = action == "request-supplement"
            ? new DossierSupplementRequested(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, status, c.Caller.Id,
                c.Request.Reason, d.NewDueAt ?? d.DueAt, Reception.Contact(d))
            : new DossierPaymentRequested(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, status, c.Caller.Id,
                c.Request.Reason, d.NewDueAt ?? d.DueAt, Reception.Contact(d));
        await EnqueueAsync(c, change);
        return null;
    }

    /// <summary>The citizen answered: every deadline not yet met moves by the working time spent waiting.</summary>
    private static async Task<IResult?> ResumeAsync(Context c, string action)
    {
        var d = c.Dossier;
        var waited = c.Calendar.Between(d.WaitingSince ?? c.Now, c.Now);
        var status = d.CurrentStep is > 0 ? "processing" : "received";
        foreach (var step in d.Steps.Where(s => s.CompletedAt is null))
            await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossier_steps SET due_at = $3 WHERE dossier_id = $1 AND index = $2",
                c.Ct, d.Id, step.Index, c.Calendar.Add(step.DueAt, waited));
        var due = c.Calendar.Add(d.DueAt!.Value, waited);
        var atRiskAt = await c.Connection.ScalarAsync<DateTime?>(c.Tx, "SELECT at_risk_at FROM dossiers WHERE id = $1", c.Ct, d.Id);
        if (atRiskAt is { } threshold)
            await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossiers SET at_risk_at = $2 WHERE id = $1", c.Ct, d.Id,
                c.Calendar.Add(new DateTimeOffset(threshold, TimeSpan.Zero), waited));
        DateTimeOffset? newDue = d.NewDueAt is { } extended ? c.Calendar.Add(extended, waited) : null;
        await c.Connection.ExecuteAsync(c.Tx, """
            UPDATE dossiers SET status = $2, waiting_since = NULL, reason = NULL, due_at = $3, new_due_at = $4,
                waited_hours = waited_hours + $5 WHERE id = $1
            """, c.Ct, d.Id, status, due, newDue, waited.TotalHours);
        await HistoryAsync(c, action, d.Current?.Name, d.Current?.Name, d.Current is { } s ? c.Calendar.Add(s.DueAt, waited) : null, null);
        DossierStatusChanged change = action == "resubmit"
            ? new DossierResubmitted(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, status, c.Caller.Id,
                c.Request.Note, newDue ?? due, null, waited.TotalHours, due)
            : new DossierPaymentConfirmed(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, status, c.Caller.Id,
                c.Request.Note, newDue ?? due, null, due);
        await EnqueueAsync(c, change);
        return null;
    }

    /// <summary>Ends that are not a result: refused (online), rejected with reasons, withdrawn, stopped.</summary>
    private static async Task<IResult?> CloseAsync(Context c, string action)
    {
        var d = c.Dossier;
        var (status, change) = action switch
        {
            "refuse" => ("refused", (Func<string, DossierStatusChanged>)(s => new DossierRefused(Guid.NewGuid(), c.Now, d.Id, d.Code,
                d.ProcedureCode, d.UnitId, s, c.Caller.Id, c.Request.Reason, d.DueAt, Reception.Contact(d)))),
            "reject" => ("rejected", s => new DossierRejected(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, s,
                c.Caller.Id, c.Request.Reason, d.NewDueAt ?? d.DueAt, Reception.Contact(d))),
            "withdraw" => ("withdrawn", s => new DossierWithdrawn(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, s,
                c.Caller.Id, c.Request.Reason, d.NewDueAt ?? d.DueAt, Reception.Contact(d))),
            "stop" => ("stopped", s => new DossierStopped(Guid.NewGuid(), c.Now, d.Id, d.Code, d.ProcedureCode, d.UnitId, s,
                c.Caller.Id, c.Request.Reason, d.NewDueAt ?? d.DueAt, Reception.Contact(d))),
            _ => throw new InvalidOperationException($"No handler for {action}."),
        };
        await c.Connection.ExecuteAsync(c.Tx, "UPDATE dossiers SET status = $2, closed_at = $3, reason = $4 WHERE id = $1",
            c.Ct, d.Id, status, c.Now, c.Request.Reason);
        await HistoryAsync(c, action, d.Current?.Name, null, d.Current?.DueAt, null);
        await EnqueueAsync(c, change(status));
        return null;
    }

    private static Task EnqueueAsync(Context c, DossierStatusChanged change) => Outbox.EnqueueAsync(c.Connection, c.Tx, change, c.Ct);

    /// <summary>One row of the control sheet (phiếu kiểm soát), written with the change it records.</summary>
    /// <remarks>A hand-over names both units, the giver's and the receiver's; any other row the unit that acted.</remarks>
    private static Task HistoryAsync(Context c, string action, string? fromStep, string? toStep, DateTimeOffset? stepDueAt,
        string? timeliness, Guid? assignee = null, Guid? fromUnit = null, Guid? toUnit = null) =>
        c.Connection.ExecuteAsync(c.Tx, """
            INSERT INTO dossier_history (dossier_id, at, action, actor_id, actor_name, from_step, to_step, assignee_id, step_due_at, timeliness, note,
                from_unit_id, to_unit_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """, c.Ct, c.Dossier.Id, c.Now, action, c.Caller.Id, c.Caller.Name, fromStep, toStep, assignee, stepDueAt, timeliness,
            c.Request.Note ?? c.Request.Reason, fromUnit ?? c.Unit, toUnit ?? c.Unit);
}
