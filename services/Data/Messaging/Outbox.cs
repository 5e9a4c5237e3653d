using System.Diagnostics;
using System.Text.Json;
using MotCua.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace MotCua.Data.Messaging;

/// <summary>
/// The publishing half of the transactional outbox: an event is written in the same transaction as
/// the state change it announces, and <see cref="OutboxRelay"/> publishes it after commit.
/// </summary>
public static class Outbox
{
    internal const string Channel = "motcua_outbox";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task EnqueueAsync<TEvent>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TEvent message, CancellationToken ct)
        where TEvent : class, IIntegrationEvent
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { Command(message), Notify() } };
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The row for one event, for callers that write many changes in one batch (end the batch with <see cref="Notify"/>).</summary>
    public static NpgsqlBatchCommand Command(IIntegrationEvent message) =>
        new("INSERT INTO outbox (message_id, message_type, body, trace_parent, created_at) VALUES ($1, $2, $3, $4, $5)")
        {
            Parameters =
            {
                new() { Value = message.EventId },
                // The runtime type: an event passed as its base record is still published as itself.
                new() { Value = message.GetType().FullName! },
                new() { Value = JsonSerializer.Serialize(message, message.GetType(), Json), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = (object?)Activity.Current?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = message.OccurredAt.UtcDateTime },
            },
        };

    /// <summary>Many events in one INSERT (end the batch with <see cref="Notify"/>).</summary>
    public static NpgsqlBatchCommand Commands(IReadOnlyList<IIntegrationEvent> messages) =>
        Database.Sql.BulkInsert("outbox", ["message_id:uuid", "message_type:text", "body:jsonb", "trace_parent:text", "created_at:timestamptz"],
            [.. messages.Select(m => new object?[]
            {
                m.EventId, m.GetType().FullName, JsonSerializer.Serialize(m, m.GetType(), Json), Activity.Current?.Id, m.OccurredAt,
            })]);

    /// <summary>Wakes the relays; delivered only on commit, so no relay wakes for a rolled-back event.</summary>
    public static NpgsqlBatchCommand Notify() => new($"NOTIFY {Channel}");
}
