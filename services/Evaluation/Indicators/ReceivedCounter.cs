using MotCua.Contracts;
using MotCua.ServiceDefaults.Messaging;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>Counts each received dossier once for its unit in its month, quarter and year (of its receipt).</summary>
public sealed class ReceivedCounter(NpgsqlDataSource dataSource, TimeProvider time)
    : InboxConsumer<DossierReceived>(dataSource, time)
{
    protected override async Task HandleAsync(
        DossierReceived received, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        // An online registration counts once a counter officer receives it, not before.
        if (received.Status != "received") return;
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO unit_period_counts (unit_id, period, received)
            SELECT $1, period, 1 FROM unnest($2::text[]) AS period
            ON CONFLICT (unit_id, period) DO UPDATE SET received = unit_period_counts.received + 1
            """, connection, transaction);
        upsert.Parameters.AddWithValue(received.UnitId);
        upsert.Parameters.AddWithValue(Period.Containing(received.ReceivedAt));
        await upsert.ExecuteNonQueryAsync(ct);
    }
}
