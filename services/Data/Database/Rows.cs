using System.Collections.Concurrent;
using System.Reflection;
using Npgsql;

namespace MotCua.Data.Database;

/// <summary>
/// SQL by name: parameters written <c>@name</c> and given as an object's properties (<c>new { code, now }</c>), columns
/// read by their names (a dictionary of names and values serves where the statement is put together), so a statement and the code around it can be read, and changed, without counting positions.
/// </summary>
public static class Rows
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>The value of <paramref name="column"/>; NULL reads as null, and as an error for a type that cannot hold it.</summary>
    public static T Get<T>(this NpgsqlDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        if (!row.IsDBNull(ordinal)) return row.GetFieldValue<T>(ordinal);
        if (default(T) is not null) throw new InvalidCastException($"Column {column} is NULL, which {typeof(T).Name} cannot hold.");
        return default!;
    }

    /// <summary>A command whose <c>@name</c> placeholders take the like-named properties of <paramref name="args"/>.</summary>
    public static NpgsqlCommand Named(this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, object? args)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        AddParameters(command.Parameters, args);
        return command;
    }

    /// <summary>A batch command whose <c>@name</c> placeholders take the like-named properties of <paramref name="args"/>.</summary>
    public static NpgsqlBatchCommand NamedBatchCommand(string sql, object? args)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddParameters(command.Parameters, args);
        return command;
    }

    public static async Task<List<T>> QueryAsync<T>(
        this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, object? args, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = connection.Named(tx, sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    public static async Task<T?> QuerySingleOrDefaultAsync<T>(
        this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, object? args, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = connection.Named(tx, sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? read(reader) : default;
    }

    public static async Task<int> RunAsync(this NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, object? args, CancellationToken ct)
    {
        await using var command = connection.Named(tx, sql, args);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A value whose type PostgreSQL cannot tell from a NULL (an absent array, say), given with its type.</summary>
    public static NpgsqlParameter Typed(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static void AddParameters(NpgsqlParameterCollection parameters, object? args)
    {
        if (args is null) return;
        if (args is IEnumerable<KeyValuePair<string, object?>> named)
        {
            foreach (var (name, value) in named) parameters.Add(Parameter(name, value));
            return;
        }
        foreach (var property in Properties.GetOrAdd(args.GetType(), type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)))
        {
            var value = property.GetValue(args);
            parameters.Add(Parameter(property.Name, value));
        }
    }

    // timestamptz takes UTC only; local Vietnamese times are converted here rather than at every call.
    private static NpgsqlParameter Parameter(string name, object? value)
    {
        if (value is not NpgsqlParameter typed)
            return new NpgsqlParameter(name, value is DateTimeOffset instant ? instant.ToUniversalTime() : value ?? DBNull.Value);
        typed.ParameterName = name;
        return typed;
    }
}
