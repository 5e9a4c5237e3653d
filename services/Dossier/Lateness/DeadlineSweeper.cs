using System.Diagnostics;
using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using Microsoft.Extensions.Options;

namespace MotCua.Dossier.Lateness;

public sealed class SweeperOptions
{
    public int BatchSize { get; set; } = 500;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The one place lateness is decided. In batches of dossiers whose <c>next_check_at</c> has come, each
/// batch its own transaction taken with <c>FOR UPDATE SKIP LOCKED</c> (so instances share the work and
/// never handle a dossier twice), it raises at-risk warnings, overdue events with the automatic apology,
/// and escalations for dossiers late again. A dossier that fails is logged and put off, and the run goes
/// on. It wakes on an interval and at once when the simulated clock moves.
/// </summary>
public sealed partial class DeadlineSweeper(
    NpgsqlDataSource dataSource, CalendarStore calendars, TimeProvider time, DatabaseState database, SweeperStatistics statistics,
    IOptions<SweeperOptions> options, ILogger<DeadlineSweeper> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Migrated.WaitAsync(stoppingToken);
        if (time is SimulatedClock clock) clock.Moved += _ => _wake.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SweepBatchAsync(stoppingToken) == options.Value.BatchSize) { }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogSweepFailed(logger, e);
            }
            await _wake.WaitAsync(options.Value.Interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            while (_wake.CurrentCount > 0) await _wake.WaitAsync(stoppingToken);
        }
    }

    /// <summary>Handles one batch of dossiers that are due a look; returns how many it took.</summary>
    public async Task<int> SweepBatchAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow().ToDatabasePrecision();
        var calendar = await calendars.CurrentAsync(ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = await connection.ListAsync(tx, """
            SELECT d.id, p.extension_hours, p.processing_value * CASE WHEN p.processing_unit = 'workingDays' THEN 8 ELSE 1 END
            FROM dossiers d JOIN procedures p ON p.code = d.procedure_code AND p.version = d.procedure_version
            WHERE d.next_check_at <= $1 ORDER BY d.next_check_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED
            """, r => (Id: r.GetGuid(0), Extension: r.Nullable<decimal>(1) ?? r.GetDecimal(2)), ct, now, options.Value.BatchSize);
        foreach (var (id, extension) in due)
        {
            await tx.SaveAsync("dossier", ct);
            try
            {
                await CheckAsync(connection, tx, id, extension, calendar, now, ct);
                await tx.ReleaseAsync("dossier", ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad dossier must not stop the run: undo its part, look again later.
                await tx.RollbackAsync("dossier", ct);
                await connection.ExecuteAsync(tx, "UPDATE dossiers SET next_check_at = $2 WHERE id = $1", ct, id, now.AddMinutes(5));
                LogDossierFailed(logger, e, id);
            }
        }
        await tx.CommitAsync(ct);
        if (due.Count > 0) statistics.Record(due.Count, Stopwatch.GetElapsedTime(started));
        return due.Count;
    }

    private static async Task CheckAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, decimal extensionHours, WorkingCalendar calendar, DateTimeOffset now,
        CancellationToken ct)
    {
        var dossier = (await DossierView.FindAsync(connection, tx, "id", id, ct))!;
        var state = await connection.ListAsync(tx, "SELECT at_risk_at, at_risk_step, overdue_at, escalated_at FROM dossiers WHERE id = $1",
            r => (AtRiskAt: r.Nullable<DateTimeOffset>(0), AtRiskStep: r.Nullable<int>(1), OverdueAt: r.Nullable<DateTimeOffset>(2),
                EscalatedAt: r.Nullable<DateTimeOffset>(3)), ct, id);
        var (atRiskAt, atRiskStep, overdueAt, escalatedAt) = state[0];

        if (dossier.Status is "received" or "processing" && dossier.DueAt is { } dueAt)
        {
            var apologized = await Apologies.ExistsAsync(connection, tx, id, ct);
            var effectiveDue = dossier.NewDueAt ?? dueAt;
            if (now > effectiveDue && overdueAt is null)
            {
                var fault = Deadlines.FaultOf(dossier, now);
                await connection.ExecuteAsync(tx, "UPDATE dossiers SET overdue_at = $2 WHERE id = $1", ct, id, now);
                await History(connection, tx, id, now, "overdue", fault.Step, $"Quá hạn trả kết quả ({effectiveDue.ToOffset(WorkingCalendar.Offset):HH:mm dd/MM/yyyy})", ct);
                await Outbox.EnqueueAsync(connection, tx, new DossierOverdue(Guid.NewGuid(), now, id, dossier.Code, dossier.ProcedureCode,
                    dossier.UnitId, effectiveDue, fault.Unit, fault.Step.Name, fault.Official), ct);
                if (!apologized)
                    await Apologies.IssueAsync(connection, tx, dossier,
                        $"Bước \"{fault.Step.Name}\" chưa hoàn thành đúng thời hạn", fault,
                        calendar.AddHours(dueAt, (double)extensionHours), automatic: true, issuer: null, now, ct);
            }
            if (apologized && now > effectiveDue && escalatedAt is null)
            {
                // Late again after the one new date: no second letter; the level above is told.
                var fault = Deadlines.FaultOf(dossier, now);
                var parent = await connection.ScalarAsync<Guid>(tx, "SELECT parent_id FROM unit_directory WHERE id = $1", ct, dossier.UnitId);
                await connection.ExecuteAsync(tx, "UPDATE dossiers SET escalated_at = $2 WHERE id = $1", ct, id, now);
                await History(connection, tx, id, now, "escalate", fault.Step, "Trễ hẹn lần hai: báo cáo cấp trên", ct);
                await Outbox.EnqueueAsync(connection, tx, new DossierEscalated(Guid.NewGuid(), now, id, dossier.Code, dossier.ProcedureCode,
                    dossier.UnitId, parent == Guid.Empty ? null : parent, effectiveDue, fault.Unit, fault.Step.Name, fault.Official), ct);
            }
            else if (overdueAt is null && now <= effectiveDue && dossier.Current is { } step && atRiskStep != step.Index
                     && (now >= atRiskAt || now > step.DueAt))
            {
                var cause = now > step.DueAt ? "step_overdue" : "less_than_a_working_day_left";
                await connection.ExecuteAsync(tx, "UPDATE dossiers SET at_risk_step = $2 WHERE id = $1", ct, id, step.Index);
                await Outbox.EnqueueAsync(connection, tx, new DossierAtRisk(Guid.NewGuid(), now, id, dossier.Code, dossier.ProcedureCode,
                    dossier.UnitId, step.Index, step.Name, step.AssigneeId, step.DueAt, effectiveDue, cause), ct);
            }
        }
        await connection.ExecuteAsync(tx, Deadlines.RefreshSql, ct, id);
    }

    private static Task History(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, DateTimeOffset now, string action, DossierStep step,
        string note, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO dossier_history (dossier_id, at, action, actor_id, actor_name, from_step, to_step, step_due_at, timeliness, note)
            VALUES ($1, $2, $3, $4, 'MotCua (tự động)', $5, $5, $6, 'late', $7)
            """, ct, id, now, action, Guid.Empty, step.Name, step.DueAt, note);

    [LoggerMessage(LogLevel.Warning, "Deadline sweep failed; trying again on the next wake")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);

    [LoggerMessage(LogLevel.Error, "Dossier {DossierId} could not be checked; it is put off for five minutes")]
    private static partial void LogDossierFailed(ILogger logger, Exception e, Guid dossierId);
}
