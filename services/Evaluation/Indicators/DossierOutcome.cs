using MotCua.Contracts;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// What Evaluation knows of one dossier, merged from its events in any order: each fact comes from the one event
/// that states it, and the legal due time from the latest event that moved it. Its contribution to the unit
/// counters is a function of the row alone, so applying an event means writing the difference between the row's
/// contribution before and after.
/// </summary>
public sealed record DossierOutcome(
    Guid Id, string? Code, Guid? UnitId, string? Channel, DateTimeOffset? ReceivedAt, DateTimeOffset? DueAt, DateTimeOffset? DueSetAt,
    DateTimeOffset? NewDueAt, DateTimeOffset? ResolvedAt, string? Timeliness, long? ProcessingSeconds, DateTimeOffset? ReturnedAt,
    DateTimeOffset? ClosedAt, string? ClosedAs, DateTimeOffset? OverdueAt, DateTimeOffset? ApologizedAt, DateTimeOffset? EscalatedAt,
    bool? ApologyInTime, Guid? ApologyUnitId)
{
    private const string Columns = """
        dossier_id, code, unit_id, channel, received_at, due_at, due_set_at, new_due_at, resolved_at, timeliness, processing_seconds,
        returned_at, closed_at, closed_as, overdue_at, apologized_at, escalated_at, apology_in_time, apology_unit_id
        """;

    /// <summary>The dossier the event is about, or null for events that say nothing of a dossier's outcome.</summary>
    public static Guid? DossierOf(object message) => message switch
    {
        DossierReceived e => e.DossierId,
        DossierStatusChanged e => e.DossierId,
        DossierOverdue e => e.DossierId,
        ApologyIssued e => e.DossierId,
        DossierEscalated e => e.DossierId,
        _ => null,
    };

    public DossierOutcome With(object message) => message switch
    {
        // An online registration counts once a counter officer receives it.
        DossierReceived { Status: "received" } e => (this with { ReceivedAt = ReceivedAt ?? e.ReceivedAt, Channel = Channel ?? e.Channel })
            .Known(e.Code, e.UnitId).Due(e.DueAt, e.OccurredAt),
        DossierReceived e => this with { Code = Code ?? e.Code, UnitId = UnitId ?? e.UnitId, Channel = Channel ?? e.Channel },
        DossierResubmitted e => Known(e.Code, e.UnitId).Due(e.StatutoryDueAt, e.OccurredAt),
        DossierPaymentConfirmed e => Known(e.Code, e.UnitId).Due(e.StatutoryDueAt, e.OccurredAt),
        DossierResolved e => Known(e.Code, e.UnitId) with
        {
            ResolvedAt = ResolvedAt ?? e.OccurredAt, Timeliness = Timeliness ?? e.Timeliness,
            ProcessingSeconds = ProcessingSeconds ?? (e.ProcessingWorkingHours is { } hours ? (long)Math.Round(hours * 3600) : null),
        },
        DossierReturned e => Known(e.Code, e.UnitId) with { ReturnedAt = ReturnedAt ?? e.OccurredAt },
        DossierRejected or DossierWithdrawn or DossierStopped or DossierRefused => Closed((DossierStatusChanged)message),
        DossierOverdue e => Known(e.Code, e.UnitId) with { OverdueAt = OverdueAt ?? e.OccurredAt },
        ApologyIssued e => Known(e.Code, e.UnitId) with
        {
            ApologizedAt = ApologizedAt ?? e.OccurredAt, NewDueAt = NewDueAt ?? e.NewDueAt, ApologyInTime = ApologyInTime ?? e.InTime,
            ApologyUnitId = ApologyUnitId ?? e.IssuedBy,
        },
        DossierEscalated e => Known(e.Code, e.UnitId) with { EscalatedAt = EscalatedAt ?? e.OccurredAt },
        _ => this,
    };

    private DossierOutcome Known(string code, Guid unit) => this with { Code = Code ?? code, UnitId = UnitId ?? unit };

    private DossierOutcome Due(DateTimeOffset? due, DateTimeOffset setAt) =>
        due is null || (DueSetAt is { } known && known > setAt) ? this : this with { DueAt = due, DueSetAt = setAt };

    private DossierOutcome Closed(DossierStatusChanged e) =>
        Known(e.Code, e.UnitId) with { ClosedAt = ClosedAt ?? e.OccurredAt, ClosedAs = ClosedAs ?? e.Status };

    /// <summary>Resolved or closed without a result: from then on the dossier is no longer pending.</summary>
    public DateTimeOffset? SettledAt => (ResolvedAt, ClosedAt) switch
    {
        ({ } resolved, { } closed) => resolved < closed ? resolved : closed,
        (var resolved, var closed) => resolved ?? closed,
    };

    /// <summary>
    /// Against the legal due time: a dossier resolved after it is late even when an apology set a new appointment,
    /// which is what the control sheet's timeliness measures.
    /// </summary>
    public string? StatutoryTimeliness => ResolvedAt is { } resolved && DueAt is { } due ? Hosting.Time.Timeliness.Of(resolved, due) : Timeliness;

    /// <summary>What this row adds to the counters of its unit.</summary>
    public UnitCounters Contribution()
    {
        var counters = new UnitCounters();
        if (UnitId is not { } unit) return counters;
        if (ReceivedAt is { } received)
        {
            counters.Add(unit, received, Counter.Received);
            if (Channel == SubmissionChannels.Online) counters.Add(unit, received, Counter.ReceivedOnline);
        }
        if (ResolvedAt is { } resolved)
        {
            counters.Add(unit, resolved, Counter.Resolved);
            counters.Add(unit, resolved, StatutoryTimeliness switch
            {
                Hosting.Time.Timeliness.Early => Counter.Early, Hosting.Time.Timeliness.Late => Counter.Late, _ => Counter.OnTime,
            });
            if (ProcessingSeconds is { } seconds)
            {
                counters.Add(unit, resolved, Counter.ProcessingSeconds, seconds).Add(unit, resolved, Counter.ProcessingMeasured);
                counters.AddProcessing(unit, resolved, (int)Math.Min(int.MaxValue, (seconds + 450) / 900), 1);
            }
        }
        // A letter counts against the unit in whose name it went out (the unit at fault), late or not.
        if (ApologizedAt is { } apologized)
        {
            counters.Add(ApologyUnitId ?? unit, apologized, Counter.Apologies);
            if (ApologyInTime == false) counters.Add(ApologyUnitId ?? unit, apologized, Counter.ApologiesNotInTime);
        }
        if (EscalatedAt is { } escalated) counters.Add(unit, escalated, Counter.Escalations);
        // Overdue pending at the end of every period that closed after the due time and before the dossier was settled;
        // a dossier still open is counted when the report is asked for.
        if (DueAt is { } due && SettledAt is { } settled)
            foreach (var period in Period.EndingWithin(due, settled)) counters.AddTo(unit, period, Counter.OverdueAtEnd);
        return counters;
    }

    /// <summary>
    /// Applies the events to their dossiers' rows: locks the rows (in one order for every batch, so concurrent batches
    /// cannot deadlock), folds each dossier's events in order, writes the rows that changed, and returns how the unit
    /// counters move: each row's contribution after, less its contribution before.
    /// </summary>
    public static async Task<UnitCounters> ApplyAsync(IReadOnlyList<object> events, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var counters = new UnitCounters();
        var byDossier = events.Select(e => (Dossier: DossierOf(e), Event: e)).Where(e => e.Dossier is not null)
            .GroupBy(e => e.Dossier!.Value, e => e.Event).OrderBy(g => g.Key).ToList();
        if (byDossier.Count == 0) return counters;
        var rows = (await connection.QueryAsync(tx, $"""
            INSERT INTO dossier_outcomes (dossier_id) SELECT unnest(@ids::uuid[])
            ON CONFLICT (dossier_id) DO UPDATE SET dossier_id = EXCLUDED.dossier_id
            RETURNING {Columns}
            """, new { ids = byDossier.Select(g => g.Key).ToArray() }, Read, ct)).ToDictionary(r => r.Id);
        var changed = new List<DossierOutcome>();
        foreach (var dossier in byDossier)
        {
            var before = rows[dossier.Key];
            var after = dossier.Aggregate(before, (row, e) => row.With(e));
            if (after == before) continue;
            changed.Add(after);
            counters.Plus(after.Contribution()).Minus(before.Contribution());
        }
        if (changed.Count > 0)
            await connection.RunAsync(tx, """
                UPDATE dossier_outcomes o SET code = v.code, unit_id = v.unit_id::uuid, channel = v.channel, received_at = v.received_at::timestamptz,
                    due_at = v.due_at::timestamptz, due_set_at = v.due_set_at::timestamptz, new_due_at = v.new_due_at::timestamptz,
                    resolved_at = v.resolved_at::timestamptz, timeliness = v.timeliness, processing_seconds = v.processing_seconds::bigint,
                    returned_at = v.returned_at::timestamptz, closed_at = v.closed_at::timestamptz, closed_as = v.closed_as,
                    overdue_at = v.overdue_at::timestamptz, apologized_at = v.apologized_at::timestamptz, escalated_at = v.escalated_at::timestamptz,
                    apology_in_time = v.apology_in_time::boolean, apology_unit_id = v.apology_unit_id::uuid
                FROM unnest(@id::uuid[], @code::text[], @unitId::text[], @channel::text[], @receivedAt::text[], @dueAt::text[], @dueSetAt::text[],
                            @newDueAt::text[], @resolvedAt::text[], @timeliness::text[], @processingSeconds::text[], @returnedAt::text[],
                            @closedAt::text[], @closedAs::text[], @overdueAt::text[], @apologizedAt::text[], @escalatedAt::text[], @apologyInTime::text[],
                            @apologyUnitId::text[])
                    AS v(id, code, unit_id, channel, received_at, due_at, due_set_at, new_due_at, resolved_at, timeliness, processing_seconds,
                         returned_at, closed_at, closed_as, overdue_at, apologized_at, escalated_at, apology_in_time, apology_unit_id)
                WHERE o.dossier_id = v.id
                """, new
            {
                id = changed.Select(r => r.Id).ToArray(), code = Texts(changed, r => r.Code), unitId = Texts(changed, r => r.UnitId),
                channel = Texts(changed, r => r.Channel), receivedAt = Texts(changed, r => r.ReceivedAt), dueAt = Texts(changed, r => r.DueAt),
                dueSetAt = Texts(changed, r => r.DueSetAt), newDueAt = Texts(changed, r => r.NewDueAt), resolvedAt = Texts(changed, r => r.ResolvedAt),
                timeliness = Texts(changed, r => r.Timeliness), processingSeconds = Texts(changed, r => r.ProcessingSeconds),
                returnedAt = Texts(changed, r => r.ReturnedAt), closedAt = Texts(changed, r => r.ClosedAt), closedAs = Texts(changed, r => r.ClosedAs),
                overdueAt = Texts(changed, r => r.OverdueAt), apologizedAt = Texts(changed, r => r.ApologizedAt),
                escalatedAt = Texts(changed, r => r.EscalatedAt), apologyInTime = Texts(changed, r => r.ApologyInTime),
                apologyUnitId = Texts(changed, r => r.ApologyUnitId),
            }, ct);
        return counters;
    }

    private static string?[] Texts(List<DossierOutcome> rows, Func<DossierOutcome, object?> column) => [.. rows.Select(r => Sql.Text(column(r)))];

    private static DossierOutcome Read(NpgsqlDataReader row) => new(
        row.Get<Guid>("dossier_id"), row.Get<string?>("code"), row.Get<Guid?>("unit_id"), row.Get<string?>("channel"),
        row.Get<DateTimeOffset?>("received_at"), row.Get<DateTimeOffset?>("due_at"), row.Get<DateTimeOffset?>("due_set_at"),
        row.Get<DateTimeOffset?>("new_due_at"), row.Get<DateTimeOffset?>("resolved_at"), row.Get<string?>("timeliness"),
        row.Get<long?>("processing_seconds"), row.Get<DateTimeOffset?>("returned_at"), row.Get<DateTimeOffset?>("closed_at"),
        row.Get<string?>("closed_as"), row.Get<DateTimeOffset?>("overdue_at"), row.Get<DateTimeOffset?>("apologized_at"),
        row.Get<DateTimeOffset?>("escalated_at"), row.Get<bool?>("apology_in_time"), row.Get<Guid?>("apology_unit_id"));
}
