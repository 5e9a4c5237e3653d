using System.CommandLine;
using System.Text.Json;
using MotCua.Cli.Platform;
using Npgsql;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua restore &lt;folder&gt;</c>: puts back the databases of a backup. Each dump is first restored into a database of
/// its own beside the live one and swapped in only when it is complete, so a failed restore leaves the old database as
/// it was. The services should be stopped: a running one would write into a database about to be replaced.
/// </summary>
public static class Restore
{
    private const string Staging = "_restoring";

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("backup") { Description = "The backup's folder (the one holding manifest.json)" };
        var only = new Option<string[]>("--service") { Description = "Restore only these services (repeat the option)", AllowMultipleArgumentsPerToken = true };
        var force = new Option<bool>("--force") { Description = "Restore even while services are connected (their connections are closed)" };
        var command = new Command("restore", "Replace the services' databases with a backup (asks first)") { folder, only, force };
        command.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            var backup = parse.GetValue(folder)!;
            var manifest = await ReadManifestAsync(backup, ct);
            var chosen = parse.GetValue(only) is { Length: > 0 } services ? services : Databases.Services;
            var unknown = chosen.Except(manifest.Dumps.Select(d => d.Service)).ToList();
            if (unknown.Count > 0) throw new OperatorException($"The backup holds no {string.Join(", ", unknown)}.");
            var dumps = manifest.Dumps.Where(d => chosen.Contains(d.Service)).ToList();

            foreach (var dump in dumps)
                if (await BackupManifest.Sha256Async(Path.Combine(backup.FullName, dump.File), ct) != dump.Sha256)
                    throw new OperatorException($"{dump.File} does not match its checksum: the backup is damaged.");

            await using var server = new NpgsqlConnection(Databases.Maintenance(connection));
            await server.OpenAsync(ct);
            var busy = await ConnectedAsync(server, dumps.Select(d => Databases.NameOf(connection, d.Service)).ToArray(), ct);
            if (busy.Count > 0 && !parse.GetValue(force))
                throw new OperatorException($"Services are connected to {string.Join(", ", busy)}: stop them first " +
                    "(docker compose stop gateway dossier personnel evaluation notification), or add --force.");

            Operator.Confirm(connection, $"Replace {string.Join(", ", dumps.Select(d => Databases.NameOf(connection, d.Service)))} " +
                $"with the backup taken {manifest.TakenAt:u}? Everything written since is lost.");
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                foreach (var dump in dumps)
                {
                    var task = progress.AddTask(dump.Service, maxValue: 1);
                    task.IsIndeterminate = true;
                    await RestoreOneAsync(connection, server, Path.Combine(backup.FullName, dump.File), Databases.NameOf(connection, dump.Service), ct);
                    task.IsIndeterminate = false;
                    task.Value = 1;
                }
            });
            Operator.Done($"{dumps.Count} databases restored from the backup taken {manifest.TakenAt:u}; start the services again");
            return 0;
        });
        return command;
    }

    private static async Task<BackupManifest> ReadManifestAsync(DirectoryInfo backup, CancellationToken ct)
    {
        var path = Path.Combine(backup.FullName, BackupManifest.FileName);
        if (!File.Exists(path)) throw new OperatorException($"{path} is missing: not a complete MotCua backup.");
        return JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, ct), BackupManifest.Json)
            ?? throw new OperatorException($"{path} is empty.");
    }

    private static async Task<List<string>> ConnectedAsync(NpgsqlConnection server, string[] databases, CancellationToken ct)
    {
        await using var query = new NpgsqlCommand(
            "SELECT DISTINCT datname FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()", server);
        query.Parameters.AddWithValue(databases);
        var busy = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) busy.Add(reader.GetString(0));
        return busy;
    }

    private static async Task RestoreOneAsync(Connection connection, NpgsqlConnection server, string file, string database, CancellationToken ct)
    {
        var staging = database + Staging;
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Quote(staging)} WITH (FORCE)", ct);
        await ExecuteAsync(server, $"CREATE DATABASE {Quote(staging)}", ct);
        try
        {
            await Databases.RunToolAsync(connection, "pg_restore", ["--no-owner", "--exit-on-error", "--dbname", staging, file], ct);
        }
        catch
        {
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Quote(staging)} WITH (FORCE)", CancellationToken.None);
            throw;
        }
        // A service still running may create its database again between the drop and the rename: drop it again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Quote(database)} WITH (FORCE)", ct);
                await ExecuteAsync(server, $"ALTER DATABASE {Quote(staging)} RENAME TO {Quote(database)}", ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase && attempt < 5)
            {
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection server, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, server);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
