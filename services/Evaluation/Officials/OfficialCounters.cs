using MotCua.Contracts;
using MotCua.Evaluation.Indicators;
using MotCua.ServiceDefaults.Database;
using Npgsql;

namespace MotCua.Evaluation.Officials;

/// <summary>
/// Per official and period: the control-sheet steps they ended, early, on time or late, and the apologies and
/// escalations that named them as the official at fault. Each event counts once (the inbox sees to that).
/// </summary>
public static class OfficialCounters
{
    public static Task ApplyAsync(object message, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) => message switch
    {
        DossierStepCompleted e => AddAsync(connection, tx, e.CompletedBy, e.OccurredAt, ct, steps: 1,
            early: e.Timeliness == "early" ? 1 : 0, onTime: e.Timeliness == "on_time" ? 1 : 0, late: e.Timeliness == "late" ? 1 : 0),
        ApologyIssued { ResponsibleOfficialId: { } official } e => AddAsync(connection, tx, official, e.OccurredAt, ct, apologies: 1),
        DossierEscalated { ResponsibleOfficialId: { } official } e => AddAsync(connection, tx, official, e.OccurredAt, ct, escalations: 1),
        _ => Task.CompletedTask,
    };

    private static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid official, DateTimeOffset at, CancellationToken ct,
        long steps = 0, long early = 0, long onTime = 0, long late = 0, long apologies = 0, long escalations = 0) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO official_period_stats AS s (official_id, period, steps, steps_early, steps_on_time, steps_late, apologies_at_fault, escalations_at_fault)
            SELECT $1, unnest($2::text[]), $3, $4, $5, $6, $7, $8
            ON CONFLICT (official_id, period) DO UPDATE SET steps = s.steps + EXCLUDED.steps, steps_early = s.steps_early + EXCLUDED.steps_early,
                steps_on_time = s.steps_on_time + EXCLUDED.steps_on_time, steps_late = s.steps_late + EXCLUDED.steps_late,
                apologies_at_fault = s.apologies_at_fault + EXCLUDED.apologies_at_fault,
                escalations_at_fault = s.escalations_at_fault + EXCLUDED.escalations_at_fault
            """, ct, official, Period.Containing(at), steps, early, onTime, late, apologies, escalations);
}
