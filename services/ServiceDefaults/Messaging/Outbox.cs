using System.Diagnostics;
using System.Text.Json;
using MotCua.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace MotCua.ServiceDefaults.Messaging;

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
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    "INSERT INTO outbox (message_id, message_type, body, trace_parent, created_at) VALUES ($1, $2, $3, $4, $5)")
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
                },
                // NOTIFY is delivered only on commit, so the relay never wakes for a rolled-back event.
                new NpgsqlBatchCommand($"NOTIFY {Channel}"),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }
}
