using System.Text.Json;
using MotCua.Data.Time;

namespace MotCua.Personnel.Units;

/// <summary>
/// Applies renames and moves recorded ahead of their date once the date has come (Viet Nam's day on the platform's
/// clock). Closings need nothing of this: a closed unit answers by its <c>valid_to</c> from the start. Each change is
/// its own transaction taken with <c>FOR UPDATE SKIP LOCKED</c>, so instances share the work and none applies a change
/// twice. A change whose rules no longer hold on its date (its parent closed meanwhile, its code taken) is marked
/// applied with the refusal in its details, and the history shows it. It wakes on an interval and at once when the
/// simulated clock moves.
/// </summary>
public sealed partial class DueUnitChanges(
    NpgsqlDataSource dataSource, TimeProvider time, DatabaseState database, ILogger<DueUnitChanges> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Migrated.WaitAsync(stoppingToken);
        if (time is SimulatedClock clock) clock.Moved += _ => _wake.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ApplyNextAsync(stoppingToken)) { }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogFailed(logger, e);
            }
            await _wake.WaitAsync(Interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            while (_wake.CurrentCount > 0) await _wake.WaitAsync(stoppingToken);
        }
    }

    /// <summary>Applies the earliest due change, if any; returns whether there was one.</summary>
    public async Task<bool> ApplyNextAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.ListAsync(tx, """
            SELECT id, unit_id, kind, effective_on, details::text FROM unit_changes
            WHERE applied_at IS NULL AND effective_on <= $1
            ORDER BY effective_on, recorded_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """, r => (Id: r.GetGuid(0), UnitId: r.GetGuid(1), Kind: r.GetString(2), EffectiveOn: r.GetFieldValue<DateOnly>(3), Details: r.GetString(4)),
            ct, VietnamTime.Today(time))).SingleOrDefault();
        if (due.Id == Guid.Empty) return false;

        var unit = (await Unit.LockAsync(connection, tx, due.UnitId, ct))!;
        var refusal = due.Kind switch
        {
            "rename" => await RenameUnit.ApplyAsync(connection, tx, unit,
                JsonSerializer.Deserialize<RenameUnit.Details>(due.Details, JsonSerializerOptions.Web)!, due.EffectiveOn, time, ct, due.Id),
            "move" => await MoveUnit.ApplyAsync(connection, tx, unit,
                JsonSerializer.Deserialize<MoveUnit.Details>(due.Details, JsonSerializerOptions.Web)!, due.EffectiveOn, time, ct),
            _ => new Refusal("kind", $"A {due.Kind} is not applied later."),
        };
        if (refusal is not null) LogRefused(logger, due.Kind, due.Id, refusal.Message);
        await connection.ExecuteAsync(tx, """
            UPDATE unit_changes SET applied_at = $2,
                details = CASE WHEN $3::text IS NULL THEN details ELSE details || jsonb_build_object('refused', $3::text) END
            WHERE id = $1
            """, ct, due.Id, time.GetUtcNow(), refusal?.Message);
        await tx.CommitAsync(ct);
        return true;
    }

    [LoggerMessage(LogLevel.Warning, "Applying due unit changes failed; trying again on the next wake")]
    private static partial void LogFailed(ILogger logger, Exception e);

    [LoggerMessage(LogLevel.Warning, "The {Kind} {ChangeId} no longer holds on its date and was not applied: {Reason}")]
    private static partial void LogRefused(ILogger logger, string kind, Guid changeId, string reason);
}
