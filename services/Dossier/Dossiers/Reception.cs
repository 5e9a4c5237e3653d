using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Dossiers;

/// <summary>What receiving a dossier sets in motion, shared by intake at the counter and the receipt of an online registration.</summary>
public static class Reception
{
    /// <summary>Plans the deadlines, writes the steps and starts the first one with the receiving officer.</summary>
    public static async Task<DossierView> StartClockAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, DossierView dossier, Procedure procedure, WorkingCalendar calendar,
        DateTimeOffset receivedAt, Caller receiver, CancellationToken ct)
    {
        var plan = Schedule.For(calendar, procedure, receivedAt);
        var steps = procedure.Steps.Select((step, i) => new DossierStep(i, step.Name, step.Role, step.Hours, null, plan.StepDueAt[i],
            i == 0 ? receivedAt : null, null, null, step.UnitId)).ToArray();
        // At risk, and the apology window open, from the moment about one working day is left (from the start for a
        // procedure shorter than that).
        var atRiskAt = calendar.Add(plan.Start,
            Lateness.ApologyWindow.OpensAfter(TimeSpan.FromHours((double)procedure.ProcessingTime.HoursIn(calendar.WorkingDay)), calendar));
        // One round trip for the steps, the deadlines and the history: at the counter every millisecond is queued behind.
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var step in steps)
            batch.BatchCommands.Add(Sql.BatchCommand("""
                INSERT INTO dossier_steps (dossier_id, index, name, role, unit_id, hours, due_at, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, dossier.Id, step.Index, step.Name, step.Role, step.UnitId, step.Hours, step.DueAt, step.StartedAt));
        batch.BatchCommands.Add(Sql.BatchCommand(
            "UPDATE dossiers SET status = 'received', due_at = $2, current_step = 0, at_risk_at = $3 WHERE id = $1", dossier.Id, plan.DueAt, atRiskAt));
        batch.BatchCommands.Add(Sql.BatchCommand(NextCheck.RefreshSql, new[] { dossier.Id }));
        batch.BatchCommands.Add(Sql.BatchCommand("""
            INSERT INTO dossier_history (dossier_id, at, action, actor_id, actor_name, to_step, step_due_at, from_unit_id, to_unit_id)
            VALUES ($1, $2, 'receive', $3, $4, $5, $6, $7, $7)
            """, dossier.Id, receivedAt, receiver.Id, receiver.Name, steps[0].Name, steps[0].DueAt, dossier.UnitId));
        await batch.ExecuteNonQueryAsync(ct);
        return dossier with { Status = "received", DueAt = plan.DueAt, Steps = steps, CurrentStep = 0 };
    }

    public static ApplicantContact Contact(DossierView dossier) =>
        new(dossier.Applicant.FullName ?? "", dossier.Applicant.Phone, dossier.Applicant.Email);
}

/// <summary>The versioned rule set a dossier is handled under, chosen by its receipt date (docs/domain.md §1).</summary>
public static class RuleSets
{
    public static readonly DateTimeOffset Decree118From = new(2025, 7, 1, 0, 0, 0, WorkingCalendar.Offset);

    public static string For(DateTimeOffset receivedAt) => receivedAt < Decree118From ? "ND61-2018" : "ND118-2025";
}

/// <summary>
/// Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả: what the counter prints and hands the citizen.
/// Dates are given in Vietnamese form as well, as they appear on paper.
/// </summary>
public sealed record Receipt(
    string Form, string Title, string Code, string AgencyCode, string ApplicantName, string ProcedureName,
    IReadOnlyList<string> Papers, string StatutoryTime, DateTimeOffset ReceivedAt, DateTimeOffset? AppointmentAt, string? Appointment)
{
    public static Receipt Of(DossierView dossier, Procedure procedure, string agencyCode) => new(
        "01", dossier.Status == "registered" ? "Xác nhận đăng ký hồ sơ trực tuyến" : "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        dossier.Code, agencyCode, dossier.Applicant.FullName ?? "", procedure.Name, dossier.Papers,
        procedure.ProcessingTime.Unit == ProcessingTime.WorkingDays
            ? $"{procedure.ProcessingTime.Value:0.#} ngày làm việc"
            : $"{procedure.ProcessingTime.Value:0.#} giờ làm việc",
        dossier.ReceivedAt, dossier.DueAt,
        dossier.DueAt is { } due ? $"{due.ToOffset(WorkingCalendar.Offset):HH 'giờ' mm 'phút, ngày' dd/MM/yyyy}" : null);
}
