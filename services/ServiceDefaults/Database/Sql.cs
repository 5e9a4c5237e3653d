using Npgsql;

namespace MotCua.ServiceDefaults.Database;

/// <summary>Positional-parameter shorthands ($1, $2, …) for the plain SQL every service writes; null becomes NULL.</summary>
public static class Sql
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        // timestamptz takes UTC only; local Vietnamese times are converted here rather than at every call.
        foreach (var arg in args)
            command.Parameters.Add(new NpgsqlParameter { Value = arg is DateTimeOffset instant ? instant.ToUniversalTime() : arg ?? DBNull.Value });
        return command;
    }

    /// <summary>A batch command with positional parameters, for writing many changes in one round trip.</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
            command.Parameters.Add(new NpgsqlParameter { Value = arg is DateTimeOffset instant ? instant.ToUniversalTime() : arg ?? DBNull.Value });
        return command;
    }

    public static async Task<int> ExecuteAsync(
        this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(tx, sql, args);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<T?> ScalarAsync<T>(
        this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(tx, sql, args);
        return await command.ExecuteScalarAsync(ct) is T value ? value : default;
    }

    public static async Task<List<T>> ListAsync<T>(
        this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(tx, sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    public static T? Nullable<T>(this NpgsqlDataReader row, int ordinal) where T : struct =>
        row.IsDBNull(ordinal) ? null : row.GetFieldValue<T>(ordinal);

    public static string? NullableString(this NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
