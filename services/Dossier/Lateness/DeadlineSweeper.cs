using System.Diagnostics;
using Microsoft.Extensions.Options;
using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Lateness;

public sealed class SweeperOptions
{
    public int BatchSize { get; set; } = 500;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The one place lateness is decided. In batches of dossiers whose <c>next_check_at</c> has come, each
/// batch its own transaction taken with <c>FOR UPDATE SKIP LOCKED</c> (so instances share the work and
/// never handle a dossier twice), it raises at-risk warnings, the apology in its window a working day before the due time
/// for a dossier that will be late (issued, or drafted for a leader by the province's policy), overdue events with the
/// fallback letter for one that has none, and escalations for dossiers late again. A batch is read in two queries (a third when a dossier may escalate) and written in one round trip;
/// if it fails, its dossiers are taken one by one, and one that still fails is logged and put off while
/// the run goes on. It wakes on an interval and at once when the simulated clock moves.
/// </summary>
public sealed partial class DeadlineSweeper(
    NpgsqlDataSource dataSource, CalendarStore calendars, TimeProvider time, DatabaseState database, SweeperStatistics statistics,
    IOptions<SweeperOptions> options, ILogger<DeadlineSweeper> logger) : BackgroundService
{
    private const string Automatic = "MotCua (tự động)";
    private readonly SemaphoreSlim _wake = new(0);

    /// <param name="Letter">The dossier's apology so far: none, drafted for a leader, or issued.</param>
    private sealed record Candidate(
        DossierView Dossier, DateTimeOffset? AtRiskAt, int? AtRiskStep, DateTimeOffset? OverdueAt, DateTimeOffset? EscalatedAt,
        decimal ExtensionHours, string? Letter, string? LetterNumber)
    {
        public bool Apologized => Letter == ApologyStates.Issued;
    }

    /// <summary>A letter the look decided on: a new one in the window (issued or drafted, by policy), or at the due time (the fallback).</summary>
    private sealed record LetterNeed(Candidate Candidate, Fault Fault, bool Fallback);

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
        var tx = await connection.BeginTransactionAsync(ct);
        var ids = await connection.QueryAsync(tx, """
            SELECT id FROM dossiers WHERE next_check_at <= @now ORDER BY next_check_at LIMIT @batchSize FOR UPDATE SKIP LOCKED
            """, new { now, batchSize = options.Value.BatchSize }, row => row.Get<Guid>("id"), ct);
        try
        {
            if (ids.Count > 0) await WriteAsync(connection, tx, ids, calendar, now, ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A connection the database dropped (a restart) can neither roll back nor go on dossier by dossier: the whole
            // batch waits for the next sweep, as when the database is away from the start.
            if (connection.FullState.HasFlag(System.Data.ConnectionState.Broken)) throw;
            await tx.RollbackAsync(ct);
            LogBatchFailed(logger, e, ids.Count);
            foreach (var id in ids) await SweepOneAsync(connection, id, calendar, now, ct);
        }
        finally
        {
            // On a dropped connection there is nothing left to end; disposing would try to roll back over it.
            if (!connection.FullState.HasFlag(System.Data.ConnectionState.Broken)) await tx.DisposeAsync();
        }
        if (ids.Count > 0) statistics.Record(ids.Count, Stopwatch.GetElapsedTime(started));
        return ids.Count;
    }

    /// <summary>The slow path after a failed batch: one dossier, its own transaction; a failure puts only it off.</summary>
    private async Task SweepOneAsync(NpgsqlConnection connection, Guid id, WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var locked = await connection.QueryAsync(tx, "SELECT id FROM dossiers WHERE id = @id AND next_check_at <= @now FOR UPDATE SKIP LOCKED",
                new { id, now }, row => row.Get<Guid>("id"), ct);
            if (locked.Count == 1) await WriteAsync(connection, tx, locked, calendar, now, ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDossierFailed(logger, e, id);
            await connection.RunAsync(null, "UPDATE dossiers SET next_check_at = @later WHERE id = @id", new { id, later = now.AddMinutes(5) }, ct);
        }
    }

    /// <summary>What a batch writes: rows gathered from every dossier's decision, then a handful of statements for all of them.</summary>
    private sealed class Writes
    {
        public List<object?[]> Apologies { get; } = [];
        public List<object?[]> History { get; } = [];
        public List<IIntegrationEvent> Events { get; } = [];
        public List<object?[]> Dossiers { get; } = [];
        /// <summary>Drafts the platform issues itself because the due time passed first.</summary>
        public List<object?[]> Drafts { get; } = [];
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<Guid> ids, WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = await LoadAsync(connection, tx, ids, calendar.WorkingDay, ct);
        var needs = candidates.Select(c => LetterNeeded(c, calendar, now)).OfType<LetterNeed>().ToList();
        var letters = await LettersAsync(connection, tx, needs, calendar, now, ct);
        var parents = await ParentsAsync(connection, tx, candidates, ct);
        var writes = new Writes();
        foreach (var candidate in candidates)
            Decide(candidate, calendar, now, letters.TryGetValue(candidate.Dossier.Id, out var letter) ? letter : null, parents, writes);
        await using var batch = new NpgsqlBatch(connection, tx);
        if (writes.Dossiers.Count > 0)
            batch.BatchCommands.Add(Sql.BatchCommand("""
                UPDATE dossiers d SET overdue_at = coalesce(v.overdue_at::timestamptz, d.overdue_at),
                                      new_due_at = coalesce(v.new_due_at::timestamptz, d.new_due_at),
                                      escalated_at = coalesce(v.escalated_at::timestamptz, d.escalated_at),
                                      at_risk_step = coalesce(v.at_risk_step::int, d.at_risk_step)
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(id, overdue_at, new_due_at, escalated_at, at_risk_step)
                WHERE d.id = v.id::uuid
                """, Sql.TextColumn(writes.Dossiers, 0), Sql.TextColumn(writes.Dossiers, 1), Sql.TextColumn(writes.Dossiers, 2), Sql.TextColumn(writes.Dossiers, 3),
                Sql.TextColumn(writes.Dossiers, 4)));
        if (writes.Apologies.Count > 0) batch.BatchCommands.Add(Sql.BulkInsert("apologies", Apologies.ApologyColumns, writes.Apologies));
        if (writes.Drafts.Count > 0)
            batch.BatchCommands.Add(Sql.BatchCommand("""
                UPDATE apologies a SET state = 'issued', issued_at = v.issued_at::timestamptz, new_due_at = v.new_due_at::timestamptz,
                    signer_id = v.signer_id::uuid, signer_name = v.signer_name, signer_title = v.signer_title, in_time = false, automatic = true
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                    AS v(dossier_id, issued_at, new_due_at, signer_id, signer_name, signer_title)
                WHERE a.dossier_id = v.dossier_id::uuid AND a.state = 'draft'
                """, [.. Enumerable.Range(0, 6).Select(i => (object)Sql.TextColumn(writes.Drafts, i))]));
        if (writes.History.Count > 0) batch.BatchCommands.Add(Sql.BulkInsert("dossier_history", Apologies.HistoryColumns, writes.History));
        if (writes.Events.Count > 0) batch.BatchCommands.Add(Outbox.Commands(writes.Events));
        batch.BatchCommands.Add(Sql.BatchCommand(NextCheck.RefreshSql, ids.ToArray()));
        batch.BatchCommands.Add(Outbox.Notify());
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Whether this look owes the dossier a letter. At the due time (the fallback): one that has none issued gets it now, not
    /// in time. Before it, from the window's opening (<c>at_risk_at</c>): one with no letter yet that will be late
    /// (<see cref="ApologyWindow.WillBeLate"/>). A draft waits for its leader until the due time.
    /// </summary>
    private static LetterNeed? LetterNeeded(Candidate c, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (!Open(c) || c.OverdueAt is not null || c.Apologized) return null;
        var d = c.Dossier;
        if (now > (d.NewDueAt ?? d.DueAt!.Value)) return new LetterNeed(c, Deadlines.FaultOf(d, now), Fallback: true);
        if (c.Letter is null && now >= c.AtRiskAt && ApologyWindow.WillBeLate(d, calendar, now))
            return new LetterNeed(c, Deadlines.FaultOf(d, now), Fallback: false);
        return null;
    }

    /// <summary>A letter ready to write: what it says, whether it is a draft, the book and number it takes.</summary>
    private sealed record PlannedLetter(Apologies.Letter Letter, string State, string Book, string? DraftNumber);

    /// <summary>
    /// The letters of a batch: who signs for each unit at fault, the province's policy for the window's letters, and the
    /// numbers in each unit's book, asked once for the whole batch.
    /// </summary>
    private static async Task<Dictionary<Guid, (PlannedLetter Letter, int Sequence)>> LettersAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<LetterNeed> needs, WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        if (needs.Count == 0) return [];
        var units = needs.Select(n => n.Fault.Unit).Distinct().ToArray();
        var heads = await UnitHeads.OfAsync(connection, tx, units, DateOnly.FromDateTime(VietnamTime.ToLocal(now).DateTime), ct);
        var policies = await ApologyPolicy.OfAsync(connection, tx, [.. needs.Where(n => !n.Fallback).Select(n => n.Fault.Unit).Distinct()], ct);
        var books = await Apologies.BooksAsync(connection, tx, units, ct);
        var planned = needs.Select(n =>
        {
            var (d, fault) = (n.Candidate.Dossier, n.Fault);
            var previous = d.NewDueAt ?? d.DueAt!.Value;
            var head = heads.GetValueOrDefault(fault.Unit);
            var letter = new Apologies.Letter(d, $"Khâu \"{fault.Step.Name}\" không hoàn thành kịp thời hạn giải quyết", fault,
                ApologyWindow.Cap(calendar, previous, now, n.Candidate.ExtensionHours), Automatic: true, Author: null,
                head is null ? null : new ApologySigner(head.OfficialId, head.Name, head.Title),
                InTime: !n.Fallback && ApologyWindow.InTime(calendar, now, previous));
            var draft = !n.Fallback && policies.GetValueOrDefault(fault.Unit).Mode == ApologyPolicy.Draft;
            return new PlannedLetter(letter, draft ? ApologyStates.Draft : ApologyStates.Issued,
                books.GetValueOrDefault(fault.Unit) ?? Apologies.AgencyOf(d.Code), n.Candidate.Letter == ApologyStates.Draft ? n.Candidate.LetterNumber : null);
        }).ToList();
        var year = now.ToOffset(WorkingCalendar.Offset).Year;
        var result = new Dictionary<Guid, (PlannedLetter, int)>();
        foreach (var book in planned.Where(p => p.DraftNumber is null).GroupBy(p => p.Book))
        {
            var next = await Apologies.ReserveAsync(connection, tx, book.Key, year, book.Count(), ct);
            foreach (var letter in book) result[letter.Letter.Dossier.Id] = (letter, next++);
        }
        foreach (var letter in planned.Where(p => p.DraftNumber is not null)) result[letter.Letter.Dossier.Id] = (letter, 0);
        return result;
    }

    private static async Task<List<Candidate>> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<Guid> ids, TimeSpan workingDay, CancellationToken ct)
    {
        var dossierIds = ids.ToArray();
        var steps = (await connection.QueryAsync(tx, $"""
            SELECT {DossierView.StepColumns} FROM dossier_steps WHERE dossier_id = ANY(@dossierIds) ORDER BY dossier_id, index
            """, new { dossierIds }, row => (Dossier: row.Get<Guid>("dossier_id"), Step: DossierView.ReadStep(row)), ct))
            .ToLookup(s => s.Dossier, s => s.Step);
        var columns = string.Join(", ", DossierView.Columns.Split(',', StringSplitOptions.TrimEntries).Select(c => "d." + c));
        // Without an extension of its own, a procedure is extended by its statutory time, in working hours of the calendar's day.
        var candidates = await connection.QueryAsync(tx, $"""
            SELECT {columns}, d.at_risk_at, d.at_risk_step, d.overdue_at, d.escalated_at,
                   coalesce(p.extension_hours, p.processing_value * CASE WHEN p.processing_unit = 'workingDays' THEN @workingDayHours ELSE 1 END)
                       AS extension_hours,
                   a.state AS letter, a.number AS letter_number
            FROM dossiers d
            JOIN procedures p ON p.code = d.procedure_code AND p.version = d.procedure_version
            LEFT JOIN apologies a ON a.dossier_id = d.id
            WHERE d.id = ANY(@dossierIds)
            """, new { dossierIds, workingDayHours = (decimal)workingDay.TotalHours }, row => new Candidate(DossierView.Read(row),
            row.Get<DateTimeOffset?>("at_risk_at"), row.Get<int?>("at_risk_step"), row.Get<DateTimeOffset?>("overdue_at"),
            row.Get<DateTimeOffset?>("escalated_at"), row.Get<decimal>("extension_hours"), row.Get<string?>("letter"), row.Get<string?>("letter_number")), ct);
        return [.. candidates.Select(c => c with { Dossier = c.Dossier with { Steps = [.. steps[c.Dossier.Id]] } })];
    }

    /// <summary>
    /// The level above each unit that may be at fault (a step's unit, liên thông, or the receiving one): an escalation goes
    /// above the unit whose step was late, not above the commune that received the dossier. Only a dossier already
    /// apologised for can escalate, so a batch without one asks nothing.
    /// </summary>
    private static async Task<Dictionary<Guid, Guid?>> ParentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<Candidate> candidates, CancellationToken ct)
    {
        var units = candidates.Where(c => c.Apologized)
            .SelectMany(c => c.Dossier.Steps.Select(s => s.UnitId ?? c.Dossier.UnitId).Append(c.Dossier.UnitId)).Distinct().ToArray();
        if (units.Length == 0) return [];
        return (await connection.QueryAsync(tx, "SELECT id, parent_id FROM unit_directory WHERE id = ANY(@units)", new { units },
            row => (Id: row.Get<Guid>("id"), Parent: row.Get<Guid?>("parent_id")), ct)).ToDictionary(u => u.Id, u => u.Parent);
    }

    private static bool Open(Candidate c) => c.Dossier.Status is "received" or "processing" && c.Dossier.DueAt is not null;

    /// <summary>
    /// What one dossier's look comes to: nothing, an at-risk warning, the apology in its window, overdue (with the fallback
    /// letter when none was issued), or escalation when late again.
    /// </summary>
    private static void Decide(
        Candidate c, WorkingCalendar calendar, DateTimeOffset now, (PlannedLetter Letter, int Sequence)? letter, Dictionary<Guid, Guid?> parents,
        Writes writes)
    {
        if (!Open(c)) return;
        var d = c.Dossier;
        var effectiveDue = d.NewDueAt ?? d.DueAt!.Value;
        DateTimeOffset? overdue = null, newDue = null, escalated = null;
        int? atRiskStep = null;
        if (now > effectiveDue && c.OverdueAt is null)
        {
            var fault = Deadlines.FaultOf(d, now);
            overdue = now;
            writes.History.Add(History(d.Id, now, "overdue", fault.Step, $"Quá hạn trả kết quả ({effectiveDue.ToOffset(WorkingCalendar.Offset):HH:mm dd/MM/yyyy})"));
            writes.Events.Add(new DossierOverdue(Guid.NewGuid(), now, d.Id, d.Code, d.ProcedureCode, d.UnitId, effectiveDue,
                fault.Unit, fault.Step.Name, fault.Official));
        }
        if (letter is { } planned)
        {
            var (l, state) = (planned.Letter.Letter, planned.Letter.State);
            if (planned.Letter.DraftNumber is { } number)
            {
                // The due time came before the leader signed the draft: the platform issues it now, not in time.
                writes.Drafts.Add([d.Id, now, l.NewDueAt, l.Signer?.OfficialId, l.Signer?.Name, l.Signer?.Title]);
                writes.History.Add(Apologies.HistoryRow(l, now, number));
                writes.Events.Add(Apologies.Issued(l, now, number, effectiveDue));
                newDue = l.NewDueAt;
            }
            else
            {
                var rows = Apologies.Plan(l, state, planned.Letter.Book, now, planned.Sequence);
                writes.Apologies.Add(rows.Apology);
                if (rows.History is { } history) writes.History.Add(history);
                writes.Events.Add(rows.Event);
                if (state == ApologyStates.Issued) newDue = l.NewDueAt;
            }
        }
        if (c.Apologized && now > effectiveDue && c.EscalatedAt is null)
        {
            // Late again after the one new date: no second letter; the level above is told.
            var fault = Deadlines.FaultOf(d, now);
            escalated = now;
            writes.History.Add(History(d.Id, now, "escalate", fault.Step, "Trễ hẹn lần hai: báo cáo cấp trên"));
            writes.Events.Add(new DossierEscalated(Guid.NewGuid(), now, d.Id, d.Code, d.ProcedureCode, d.UnitId, parents.GetValueOrDefault(fault.Unit),
                effectiveDue, fault.Unit, fault.Step.Name, fault.Official));
        }
        else if (c.OverdueAt is null && now <= effectiveDue && d.Current is { } step && c.AtRiskStep != step.Index
                 && (now >= c.AtRiskAt || now > step.DueAt))
        {
            atRiskStep = step.Index;
            writes.Events.Add(new DossierAtRisk(Guid.NewGuid(), now, d.Id, d.Code, d.ProcedureCode, d.UnitId, step.Index, step.Name,
                step.AssigneeId, step.DueAt, effectiveDue, now > step.DueAt ? "step_overdue" : "less_than_a_working_day_left",
                step.UnitId ?? d.UnitId));
        }
        if (overdue is not null || escalated is not null || atRiskStep is not null || newDue is not null)
            writes.Dossiers.Add([d.Id, overdue, newDue, escalated, atRiskStep]);
    }

    private static object?[] History(Guid id, DateTimeOffset now, string action, DossierStep step, string note) =>
        [id, now, action, Guid.Empty, Automatic, step.Name, step.Name, step.DueAt, Timeliness.Late, note];

    [LoggerMessage(LogLevel.Warning, "Deadline sweep failed; trying again on the next wake")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);

    [LoggerMessage(LogLevel.Warning, "A sweep batch of {Count} dossiers failed; taking them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception e, int count);

    [LoggerMessage(LogLevel.Error, "Dossier {DossierId} could not be checked; it is put off for five minutes")]
    private static partial void LogDossierFailed(ILogger logger, Exception e, Guid dossierId);
}
