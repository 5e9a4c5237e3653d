using MotCua.Contracts;
using MotCua.Evaluation.Indicators;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Officials;

/// <summary>
/// Per official and period: the control-sheet steps they ended, early, on time or late, and the apologies and
/// escalations that named them as the official at fault. Each event counts once (the inbox sees to that); a batch
/// is summed first and written in one statement, in key order.
/// </summary>
public static class OfficialCounters
{
    private const int Steps = 0, Early = 1, OnTime = 2, Late = 3, Apologies = 4, Escalations = 5;

    public static async Task ApplyAsync(IReadOnlyList<object> events, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var deltas = new SortedDictionary<(Guid Official, string Period), long[]>();
        void Add(Guid official, DateTimeOffset at, params int[] counters)
        {
            foreach (var period in Period.Containing(at))
            {
                if (!deltas.TryGetValue((official, period), out var row)) deltas[(official, period)] = row = new long[6];
                foreach (var counter in counters) row[counter]++;
            }
        }

        foreach (var message in events)
            switch (message)
            {
                case DossierStepCompleted e:
                    Add(e.CompletedBy, e.OccurredAt, Steps, e.Timeliness switch { "early" => Early, "late" => Late, _ => OnTime });
                    break;
                case ApologyIssued { ResponsibleOfficialId: { } official } e:
                    Add(official, e.OccurredAt, Apologies);
                    break;
                case DossierEscalated { ResponsibleOfficialId: { } official } e:
                    Add(official, e.OccurredAt, Escalations);
                    break;
            }
        if (deltas.Count == 0) return;
        long[] Column(int counter) => [.. deltas.Values.Select(row => row[counter])];
        await connection.ExecuteAsync(tx, """
            INSERT INTO official_period_stats AS s (official_id, period, steps, steps_early, steps_on_time, steps_late, apologies_at_fault, escalations_at_fault)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
            ON CONFLICT (official_id, period) DO UPDATE SET steps = s.steps + EXCLUDED.steps, steps_early = s.steps_early + EXCLUDED.steps_early,
                steps_on_time = s.steps_on_time + EXCLUDED.steps_on_time, steps_late = s.steps_late + EXCLUDED.steps_late,
                apologies_at_fault = s.apologies_at_fault + EXCLUDED.apologies_at_fault,
                escalations_at_fault = s.escalations_at_fault + EXCLUDED.escalations_at_fault
            """, ct, deltas.Keys.Select(k => k.Official).ToArray(), deltas.Keys.Select(k => k.Period).ToArray(), Column(Steps), Column(Early),
            Column(OnTime), Column(Late), Column(Apologies), Column(Escalations));
    }
}
