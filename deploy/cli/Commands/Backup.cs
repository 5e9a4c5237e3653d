using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using MotCua.Cli.Platform;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>The manifest written beside the dumps: what a restore checks before it touches anything.</summary>
public sealed record BackupManifest(DateTimeOffset TakenAt, string DatabasePrefix, IReadOnlyList<BackupManifest.Dump> Dumps)
{
    public const string FileName = "manifest.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public sealed record Dump(string Service, string Database, string File, long Bytes, string Sha256);

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}

/// <summary>
/// <c>motcua backup</c>: each service's database dumped with pg_dump in its custom format (compressed, restorable
/// table by table), one file a service, with a manifest of sizes and checksums. Every dump is a consistent snapshot of
/// its database; events between services still in the broker or an outbox are replayed after a restore by the outbox
/// and absorbed by the inboxes.
/// </summary>
public static class Backup
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "The folder for this backup (default backups/<UTC time>)" };
        var command = new Command("backup", "Dump every service's database (pg_dump) with a manifest of checksums") { output };
        command.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            var takenAt = DateTimeOffset.UtcNow;
            var folder = parse.GetValue(output) ?? new DirectoryInfo(Path.Combine("backups", takenAt.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)));
            if (folder.Exists && folder.EnumerateFileSystemInfos().Any())
                throw new OperatorException($"{folder.FullName} is not empty: a backup never overwrites another.");
            folder.Create();
            var dumps = new List<BackupManifest.Dump>();
            try
            {
                await DumpAllAsync(connection, folder, dumps, ct);
            }
            catch
            {
                // A backup missing a service is no backup: nothing is left to be mistaken for one.
                folder.Delete(recursive: true);
                throw;
            }
            var manifest = new BackupManifest(takenAt, connection.DatabasePrefix, dumps);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, BackupManifest.FileName), JsonSerializer.Serialize(manifest, BackupManifest.Json), ct);
            Operator.Done($"{dumps.Count} databases ({Operator.Size(dumps.Sum(d => d.Bytes))}) backed up to {folder.FullName}");
            return 0;
        });
        return command;
    }

    private static Task DumpAllAsync(Connection connection, DirectoryInfo folder, List<BackupManifest.Dump> dumps, CancellationToken ct) =>
        AnsiConsole.Progress().StartAsync(async progress =>
        {
            var tasks = Databases.Services.ToDictionary(s => s, s => progress.AddTask(s, maxValue: 1));
            foreach (var service in Databases.Services)
            {
                var database = Databases.NameOf(connection, service);
                var file = Path.Combine(folder.FullName, service + ".dump");
                tasks[service].IsIndeterminate = true;
                await Databases.RunToolAsync(connection, "pg_dump", ["--format=custom", "--no-owner", "--file", file, "--dbname", database], ct);
                dumps.Add(new(service, database, Path.GetFileName(file), new FileInfo(file).Length, await BackupManifest.Sha256Async(file, ct)));
                tasks[service].IsIndeterminate = false;
                tasks[service].Value = 1;
            }
        });
}
