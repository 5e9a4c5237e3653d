using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// The <c>apologize</c> action (xin lỗi chủ động): a specialist or leader who sees the delay coming writes to the citizen
/// at least one working day before the due time, with the reason and the one new date. The workflow checks who may take
/// it and from which states; this says what it does.
/// </summary>
public sealed class ApologyByHand : DossierActions.IPluggedAction
{
    public string Name => "apologize";

    public void Validate(DossierActions.ActionRequest request, FieldErrors errors)
    {
        if (request.NewDueAt is null) errors.Add("newDueAt", "Required: the one new appointment date.");
    }

    public async Task<IResult?> ApplyAsync(DossierActions.Context c)
    {
        var d = c.Dossier;
        if (await Apologies.ExistsAsync(c.Connection, c.Tx, d.Id, c.Ct))
            return Problems.Conflict("This dossier has had its apology; the new date may be set only once.");
        var due = d.DueAt!.Value;
        if (c.Calendar.Between(c.Now, due) < c.Calendar.WorkingDay)
            return Problems.Conflict("Less than one working day is left: too late to apologise by hand; the platform does it when the due time passes.");
        if (c.Request.NewDueAt <= due)
            return new FieldErrors().Add("newDueAt", "After the present due time.").ToResult();
        var procedure = await Procedure.OfAsync(c.Connection, c.Tx, d.ProcedureCode, d.ProcedureVersion ?? 1, c.Ct);
        var cap = c.Calendar.AddHours(due, (double)procedure.ExtensionHoursIn(c.Calendar.WorkingDay));
        if (c.Request.NewDueAt > cap)
            return new FieldErrors().Add("newDueAt", $"At most the procedure's extension after the due time: no later than {VietnamTime.ToLocal(cap):dd/MM/yyyy HH:mm}.").ToResult();
        var step = d.Current ?? d.Steps[0];
        await Apologies.IssueAsync(c.Connection, c.Tx, d, c.Request.Reason!, new Fault(step.UnitId ?? d.UnitId, step, step.AssigneeId ?? c.Caller.Id),
            c.Request.NewDueAt!.Value.ToUniversalTime(), automatic: false, c.Caller, c.Now, c.Ct);
        return null;
    }
}
