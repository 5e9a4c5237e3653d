using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// <c>POST /api/dossiers/{code}/apologies/{number}/approve</c> <c>{ newDueAt? }</c>: a leader of the unit at fault signs a
/// drafted letter (ký duyệt) and it goes out now, in that unit's name, with the draft's new date or the one given, bounded
/// as every new date is (<see cref="ApologyWindow.Refusal"/>). Anyone else is refused (403); a letter already out is a 409.
/// </summary>
public static class ApologyApproval
{
    public sealed record ApprovalRequest(DateTimeOffset? NewDueAt);

    public static void MapApologyApproval(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/dossiers/{code}/apologies/{number}/approve", Approve);

    private static async Task<IResult> Approve(
        string code, string number, ApprovalRequest? request, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope,
        CalendarStore calendars, TimeProvider time, CancellationToken ct)
    {
        var caller = Caller.From(http);
        var calendar = await calendars.CurrentAsync(ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, tx, "code", code, ct, forUpdate: true);
        if (dossier is null || !await dossier.VisibleToAsync(scope, caller, ct)) return Problems.NotFound($"Không có hồ sơ {code}.");
        var apology = await connection.QuerySingleOrDefaultAsync(tx,
            $"SELECT {Apology.Columns} FROM apologies WHERE dossier_id = @dossierId AND number = @number FOR UPDATE",
            new { dossierId = dossier.Id, number }, Apology.Read, ct);
        if (apology is null) return Problems.NotFound($"Hồ sơ {code} không có thư xin lỗi số {number}.");
        if (apology.State != ApologyStates.Draft)
            return Problems.Conflict($"Thư xin lỗi số {number} đã được ban hành lúc {VietnamTime.ToLocal(apology.IssuedAt!.Value):HH:mm dd/MM/yyyy}.");

        var unit = apology.IssuedBy ?? apology.ResponsibleUnitId;
        var now = time.GetUtcNow().ToDatabasePrecision();
        var leader = caller.Roles.Contains(MotCuaRoles.Leader)
            ? await UnitHeads.LeaderAsync(connection, tx, caller.Id, unit, DateOnly.FromDateTime(VietnamTime.ToLocal(now).DateTime), ct)
            : null;
        if (leader is null)
            return Results.Problem($"Chỉ lãnh đạo của {(await ServiceAreas.FindAsync(connection, tx, unit, ct))?.Name ?? unit.ToString()}, đơn vị chịu trách nhiệm, được ký thư xin lỗi này.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        if (dossier.Status is not ("received" or "processing" or "waiting_supplement" or "waiting_payment"))
            return Problems.Conflict($"Hồ sơ đang ở trạng thái {dossier.Status}: không còn hẹn lại ngày trả kết quả.");

        var due = dossier.NewDueAt ?? dossier.DueAt!.Value;
        var procedure = await Procedure.OfAsync(connection, tx, dossier.ProcedureCode, dossier.ProcedureVersion ?? 1, ct);
        var cap = ApologyWindow.Cap(calendar, due, now, procedure.ExtensionHoursIn(calendar.WorkingDay));
        var newDue = request?.NewDueAt?.ToUniversalTime() ?? apology.NewDueAt;
        if (ApologyWindow.Refusal(newDue, due, now, cap) is { } refusal) return new FieldErrors().Add("newDueAt", refusal).ToResult();

        var step = dossier.Steps.FirstOrDefault(s => s.Name == apology.ResponsibleStep) ?? dossier.Current ?? dossier.Steps[^1];
        var letter = new Apologies.Letter(dossier, apology.Reason, new Fault(unit, step, apology.ResponsibleOfficialId), newDue, apology.Automatic,
            caller, new ApologySigner(leader.OfficialId, leader.Name, leader.Title), ApologyWindow.InTime(calendar, now, due));
        await Apologies.IssueDraftAsync(connection, tx, letter, number, now, ct);
        await connection.ExecuteAsync(tx, "UPDATE dossiers SET version = version + 1 WHERE id = $1", ct, dossier.Id);
        await connection.ExecuteAsync(tx, NextCheck.RefreshSql, ct, new[] { dossier.Id });
        await tx.CommitAsync(ct);
        return Results.Ok(await connection.QuerySingleOrDefaultAsync(null,
            $"SELECT {Apology.Columns} FROM apologies WHERE dossier_id = @dossierId AND number = @number", new { dossierId = dossier.Id, number },
            Apology.Read, ct));
    }
}
