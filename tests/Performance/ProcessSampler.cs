using System.Globalization;

namespace MotCua.Performance;

/// <summary>
/// The processes of the co-located platform, read from /proc: CPU time spent (to find which one a stage saturates)
/// and the peak resident set (VmHWM) of each. MotCua's processes are the ones up.sh recorded in .local/pids; the
/// database and the broker are found by name; "bench" is this process, the load generator.
/// </summary>
public static class ProcessSampler
{
    private static readonly double TicksPerSecond = 100;

    public static Dictionary<string, int[]> Processes()
    {
        var folder = Environment.GetEnvironmentVariable("MOTCUA_PIDS") ?? ".local/pids";
        var found = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.pid").ToDictionary(f => Path.GetFileNameWithoutExtension(f),
                f => int.TryParse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture, out var pid) ? new[] { pid } : [])
            : [];
        var byName = Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(p => p > 0)
            .Select(pid => (Pid: pid, Name: Command(pid))).ToList();
        found["postgresql"] = [.. byName.Where(p => p.Name == "postgres").Select(p => p.Pid)];
        found["rabbitmq"] = [.. byName.Where(p => p.Name is "beam.smp" or "erl_child_setup").Select(p => p.Pid)];
        found["bench"] = [Environment.ProcessId];
        return found.Where(p => p.Value.Length > 0).ToDictionary();
    }

    /// <summary>CPU seconds (user and system) each process has used so far.</summary>
    public static Dictionary<string, double> CpuSeconds(Dictionary<string, int[]> processes) =>
        processes.ToDictionary(p => p.Key, p => p.Value.Sum(pid =>
        {
            var stat = Read($"/proc/{pid}/stat");
            if (stat is null) return 0;
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }));

    /// <summary>Cores each process kept busy between two readings, busiest first.</summary>
    public static List<(string Process, double Cores)> Busy(Dictionary<string, double> before, Dictionary<string, double> after, double seconds) =>
        [.. after.Select(a => (a.Key, Math.Round((a.Value - before.GetValueOrDefault(a.Key)) / seconds, 2))).OrderByDescending(b => b.Item2)];

    /// <summary>Peak resident set (VmHWM) of each process in MB; of the largest one where a part runs several (PostgreSQL).</summary>
    public static Dictionary<string, double> PeakWorkingSetMb(Dictionary<string, int[]> processes) =>
        processes.ToDictionary(p => p.Key, p => Math.Round(p.Value.Max(pid => Kilobytes(pid, "VmHWM:")) / 1024.0, 1));

    private static long Kilobytes(int pid, string field) =>
        Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;

    private static string Command(int pid) => Read($"/proc/{pid}/comm")?.Trim() ?? "";

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
