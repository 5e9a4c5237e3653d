using Npgsql;

namespace MotCua.Data.Database;

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

    /// <summary>
    /// One INSERT for many rows: every column travels as a text array and is cast back by PostgreSQL
    /// (<paramref name="columns"/> are <c>name:type</c>, e.g. <c>at:timestamptz</c>); <paramref name="onConflict"/> is what follows
    /// <c>ON CONFLICT</c>, if anything.
    /// </summary>
    public static NpgsqlBatchCommand BulkInsert(string table, string[] columns, IReadOnlyList<object?[]> rows, string? onConflict = null)
    {
        var names = columns.Select(c => c.Split(':')[0]).ToArray();
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {table} ({string.Join(", ", names)})
            SELECT {string.Join(", ", columns.Select((c, i) => $"v.c{i}::{c.Split(':')[1]}"))}
            FROM unnest({string.Join(", ", columns.Select((_, i) => $"${i + 1}::text[]"))}) AS v({string.Join(", ", columns.Select((_, i) => $"c{i}"))})
            {(onConflict is null ? "" : "ON CONFLICT " + onConflict)}
            """);
        for (var i = 0; i < columns.Length; i++)
            command.Parameters.Add(new NpgsqlParameter { Value = TextColumn(rows, i), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        return command;
    }

    /// <summary>One column of <paramref name="rows"/> as a text array, for statements that unnest rows sent as columns.</summary>
    public static string?[] TextColumn(IReadOnlyList<object?[]> rows, int index) => [.. rows.Select(row => Text(row[index]))];

    /// <summary>A value as PostgreSQL reads it back from text: invariant culture, instants in UTC ISO 8601.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        DateTimeOffset instant => instant.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

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
