using MotCua.Contracts;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// The <c>apologize</c> action (xin lỗi chủ động): an official of the unit at fault who sees the delay coming writes to the
/// citizen before the due time, with the reason and the one new date. A specialist's letter is a draft for a leader of that
/// unit to sign (<see cref="ApologyApproval"/>); a leader's goes out at once, signed by them. The workflow checks who may
/// take it and from which states; this says what it does.
/// </summary>
public sealed class ApologyByHand : DossierActions.IPluggedAction
{
    public string Name => "apologize";

    public void Validate(DossierActions.ActionRequest request, FieldErrors errors)
    {
        if (request.NewDueAt is null) errors.Add("newDueAt", "Bắt buộc: ngày hẹn trả kết quả mới (chỉ được hẹn lại một lần).");
    }

    public async Task<IResult?> ApplyAsync(DossierActions.Context c)
    {
        var d = c.Dossier;
        if (await Apologies.OfDossierAsync(c.Connection, c.Tx, d.Id, c.Ct) is { } letter)
            return Problems.Conflict(letter.State == ApologyStates.Draft
                ? $"Hồ sơ đã có dự thảo thư xin lỗi số {letter.Number} chờ lãnh đạo ký: chỉ được hẹn lại một lần."
                : $"Hồ sơ đã có thư xin lỗi số {letter.Number}: chỉ được hẹn lại một lần.");
        var due = d.NewDueAt ?? d.DueAt!.Value;
        if (c.Now > due)
            return Problems.Conflict("Đã quá hạn trả kết quả: hệ thống đã tự ban hành thư xin lỗi (không đúng hạn) khi hết hạn.");
        var procedure = await Procedure.OfAsync(c.Connection, c.Tx, d.ProcedureCode, d.ProcedureVersion ?? 1, c.Ct);
        var newDue = c.Request.NewDueAt!.Value.ToUniversalTime();
        var cap = ApologyWindow.Cap(c.Calendar, due, c.Now, procedure.ExtensionHoursIn(c.Calendar.WorkingDay));
        if (ApologyWindow.Refusal(newDue, due, c.Now, cap) is { } refusal) return new FieldErrors().Add("newDueAt", refusal).ToResult();

        // The letter is the acting unit's: the one whose step is in progress (DossierActions.ActingUnit).
        var step = d.Current ?? d.Steps[^1];
        var fault = new Fault(c.Unit, step, step.AssigneeId ?? c.Caller.Id);
        var day = DateOnly.FromDateTime(VietnamTime.ToLocal(c.Now).DateTime);
        var leader = c.Caller.Roles.Contains(MotCuaRoles.Leader)
            ? await UnitHeads.LeaderAsync(c.Connection, c.Tx, c.Caller.Id, fault.Unit, day, c.Ct)
            : null;
        var signer = leader is null ? null : new ApologySigner(leader.OfficialId, leader.Name, leader.Title);
        await Apologies.WriteAsync(c.Connection, c.Tx,
            new Apologies.Letter(d, c.Request.Reason!, fault, newDue, Automatic: false, c.Caller, signer, ApologyWindow.InTime(c.Calendar, c.Now, due)),
            signer is null ? ApologyStates.Draft : ApologyStates.Issued, c.Now, c.Ct);
        return null;
    }
}
