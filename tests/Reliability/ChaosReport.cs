using System.Globalization;
using System.Text;

namespace MotCua.Reliability;

/// <summary>What a run did and found: progress as it goes, then a Markdown table written where chaos.sh asks (MOTCUA_CHAOS_REPORT).</summary>
public sealed class ChaosReport(ChaosScale scale, int seed, Action<string> write)
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly List<(string Figure, string Value, string? Target)> _figures = [];

    public void Log(string line)
    {
        write(line);
        // xunit shows test output only at the end; the operator watching chaos.sh wants it as it happens.
        Console.WriteLine(line);
    }

    public void Figure(string figure, string value, string? target)
    {
        _figures.Add((figure, value, target));
        Log($"  {figure}: {value}");
    }

    public async Task SaveAsync()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Chaos run ({scale.Name}) {_started:yyyy-MM-dd HH:mm} UTC, seed {seed}, {Environment.ProcessorCount} cores, everything co-located; every invariant held.");
        md.AppendLine();
        md.AppendLine("| figure | value | target |");
        md.AppendLine("|---|---|---|");
        foreach (var (figure, value, target) in _figures) md.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Trim()} | {value} | {target ?? ""} |");
        if (Environment.GetEnvironmentVariable("MOTCUA_CHAOS_REPORT") is { Length: > 0 } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, md.ToString());
        }
        Log(md.ToString());
    }
}
