using System.Diagnostics;
using Npgsql;

namespace MotCua.Cli.Platform;

/// <summary>Each service's own database on the PostgreSQL server, and the server's dump and restore tools.</summary>
public static class Databases
{
    public static readonly string[] Services = ["dossier", "personnel", "evaluation", "notification"];

    public static string NameOf(Connection connection, string service) => connection.DatabasePrefix + service;

    public static string ConnectionString(Connection connection, string database) =>
        new NpgsqlConnectionStringBuilder(connection.Postgres) { Database = database, Pooling = false, Timeout = 5 }.ConnectionString;

    /// <summary>The server's maintenance database, for creating and dropping the services' own.</summary>
    public static string Maintenance(Connection connection) => ConnectionString(connection, "postgres");

    /// <summary>
    /// Runs pg_dump or pg_restore with the server's address and credentials in the environment, not on the command line,
    /// where any user of the machine could read the password in the process list.
    /// </summary>
    public static async Task RunToolAsync(Connection connection, string tool, IEnumerable<string> arguments, CancellationToken ct)
    {
        var server = new NpgsqlConnectionStringBuilder(connection.Postgres);
        var start = new ProcessStartInfo(Locate(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PGHOST"] = server.Host ?? "127.0.0.1";
        start.Environment["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = server.Username ?? "postgres";
        if (server.Password is { } password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start) ?? throw new OperatorException($"{tool} did not start.");
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new OperatorException($"{tool} failed ({process.ExitCode}): {(await errors).Trim()}");
    }

    /// <summary>On the PATH, or where Debian's PostgreSQL packages put it (the newest version wins).</summary>
    private static string Locate(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
        if (onPath is not null) return onPath;
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin", tool)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new OperatorException($"{tool} was not found: install the PostgreSQL client (apt install postgresql-client).");
    }
}
