using Npgsql;

namespace MotCua.Data.Messaging;

/// <summary>The <c>inbox</c> table: which messages a consumer has had its effect for, recorded in the effect's transaction.</summary>
public static class Inbox
{
    /// <summary>Records the message ids for <paramref name="consumer"/> and returns those it had not seen.</summary>
    public static async Task<HashSet<Guid>> RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string consumer, IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var record = new NpgsqlCommand("""
            INSERT INTO inbox (consumer, message_id, processed_at) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING message_id
            """, connection, tx);
        record.Parameters.AddWithValue(consumer);
        record.Parameters.AddWithValue(messageIds.Distinct().ToArray());
        record.Parameters.AddWithValue(now.UtcDateTime);
        var fresh = new HashSet<Guid>();
        await using var reader = await record.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) fresh.Add(reader.GetGuid(0));
        return fresh;
    }
}
