using MotCua.Contracts;
using MotCua.ServiceDefaults.Database;
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
    DateTimeOffset? ClosedAt, string? ClosedAs, DateTimeOffset? OverdueAt, DateTimeOffset? ApologizedAt, DateTimeOffset? EscalatedAt)
{
    private const string Columns = """
        dossier_id, code, unit_id, channel, received_at, due_at, due_set_at, new_due_at, resolved_at, timeliness, processing_seconds,
        returned_at, closed_at, closed_as, overdue_at, apologized_at, escalated_at
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
        ApologyIssued e => Known(e.Code, e.UnitId) with { ApologizedAt = ApologizedAt ?? e.OccurredAt, NewDueAt = NewDueAt ?? e.NewDueAt },
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
    public string? StatutoryTimeliness => ResolvedAt is { } resolved && DueAt is { } due ? ServiceDefaults.Time.Timeliness.Of(resolved, due) : Timeliness;

    /// <summary>What this row adds to the counters of its unit.</summary>
    public UnitCounters Contribution()
    {
        var counters = new UnitCounters();
        if (UnitId is not { } unit) return counters;
        if (ReceivedAt is { } received)
        {
            counters.Add(unit, received, Counter.Received);
            if (Channel == "online") counters.Add(unit, received, Counter.ReceivedOnline);
        }
        if (ResolvedAt is { } resolved)
        {
            counters.Add(unit, resolved, Counter.Resolved);
            counters.Add(unit, resolved, StatutoryTimeliness switch
            {
                ServiceDefaults.Time.Timeliness.Early => Counter.Early, ServiceDefaults.Time.Timeliness.Late => Counter.Late, _ => Counter.OnTime,
            });
            if (ProcessingSeconds is { } seconds)
            {
                counters.Add(unit, resolved, Counter.ProcessingSeconds, seconds).Add(unit, resolved, Counter.ProcessingMeasured);
                counters.AddProcessing(unit, resolved, (int)Math.Min(int.MaxValue, (seconds + 899) / 900), 1);
            }
        }
        if (ApologizedAt is { } apologized) counters.Add(unit, apologized, Counter.Apologies);
        if (EscalatedAt is { } escalated) counters.Add(unit, escalated, Counter.Escalations);
        // Overdue pending at the end of every period that closed after the due time and before the dossier was settled;
        // a dossier still open is counted when the report is asked for.
        if (DueAt is { } due && SettledAt is { } settled)
            foreach (var period in Period.EndingWithin(due, settled)) counters.AddTo(unit, period, Counter.OverdueAtEnd);
        return counters;
    }

    /// <summary>Applies <paramref name="message"/> to its dossier's row, locking it, and moves the counters by the difference.</summary>
    public static async Task ApplyAsync(Guid dossierId, object message, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var before = (await connection.ListAsync(tx, $"""
            INSERT INTO dossier_outcomes (dossier_id) VALUES ($1)
            ON CONFLICT (dossier_id) DO UPDATE SET dossier_id = EXCLUDED.dossier_id
            RETURNING {Columns}
            """, Read, ct, dossierId)).Single();
        var after = before.With(message);
        if (after == before) return;
        await connection.ExecuteAsync(tx, """
            UPDATE dossier_outcomes SET code = $2, unit_id = $3, channel = $4, received_at = $5, due_at = $6, due_set_at = $7, new_due_at = $8,
                resolved_at = $9, timeliness = $10, processing_seconds = $11, returned_at = $12, closed_at = $13, closed_as = $14,
                overdue_at = $15, apologized_at = $16, escalated_at = $17
            WHERE dossier_id = $1
            """, ct, after.Id, after.Code, after.UnitId, after.Channel, after.ReceivedAt, after.DueAt, after.DueSetAt, after.NewDueAt,
            after.ResolvedAt, after.Timeliness, after.ProcessingSeconds, after.ReturnedAt, after.ClosedAt, after.ClosedAs, after.OverdueAt,
            after.ApologizedAt, after.EscalatedAt);
        await after.Contribution().Minus(before.Contribution()).SaveAsync(connection, tx, ct);
    }

    private static DossierOutcome Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.NullableString(1), r.Nullable<Guid>(2), r.NullableString(3), r.Nullable<DateTimeOffset>(4), r.Nullable<DateTimeOffset>(5),
        r.Nullable<DateTimeOffset>(6), r.Nullable<DateTimeOffset>(7), r.Nullable<DateTimeOffset>(8), r.NullableString(9), r.Nullable<long>(10),
        r.Nullable<DateTimeOffset>(11), r.Nullable<DateTimeOffset>(12), r.NullableString(13), r.Nullable<DateTimeOffset>(14),
        r.Nullable<DateTimeOffset>(15), r.Nullable<DateTimeOffset>(16));
}
