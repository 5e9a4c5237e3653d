using Npgsql;

namespace MotCua.Performance;

/// <summary>
/// Where PostgreSQL spends its time during a stage, from pg_stat_statements (loaded by deploy/local/infra.sh): per
/// database, and the statements that took the most, across all the services' databases.
/// </summary>
public static class StatementProfile
{
    public sealed record Statement(string Database, long Calls, double TotalMs, double MeanMs, string Query);

    public static async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(BenchPlatform.Database("dossier"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<Statement>> TopAsync(int count)
    {
        await using var connection = new NpgsqlConnection(BenchPlatform.Database("dossier"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT d.datname, s.calls, s.total_exec_time, s.mean_exec_time, left(regexp_replace(s.query, '\s+', ' ', 'g'), 160)
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            ORDER BY s.total_exec_time DESC LIMIT $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var top = new List<Statement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            top.Add(new Statement(reader.GetString(0), reader.GetInt64(1), Math.Round(reader.GetDouble(2)), Math.Round(reader.GetDouble(3), 3), reader.GetString(4)));
        return top;
    }

    public static async Task<Dictionary<string, double>> ByDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(BenchPlatform.Database("dossier"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT d.datname, sum(s.total_exec_time) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid GROUP BY d.datname
            """, connection);
        var totals = new Dictionary<string, double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) totals[reader.GetString(0)] = Math.Round(reader.GetDouble(1));
        return totals;
    }
}
