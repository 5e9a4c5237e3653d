using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MotCua.Performance;

/// <summary>One line of the suite's table: a figure, its value, the target, and its ratio to a baseline of the same run.</summary>
public sealed record Figure(string Stage, string Name, double Value, string Unit, string? Target, bool? Met, string? Ratio, string? Note);

/// <summary>The suite's figures as they come, printed at once, then written as JSON and Markdown to bench/results.</summary>
public sealed class SuiteReport
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public List<Figure> Figures { get; } = [];

    public Dictionary<string, object> Details { get; } = [];

    public void Add(Figure figure)
    {
        Figures.Add(figure);
        Console.WriteLine($"  {figure.Stage} / {figure.Name}: {Format(figure.Value)} {figure.Unit}" +
            (figure.Ratio is null ? "" : $" ({figure.Ratio})") + (figure.Note is null ? "" : $" — {figure.Note}") + (figure.Met is null ? "" : figure.Met.Value ? "  [target met]" : $"  [target {figure.Target} missed]"));
    }

    public static string Format(double value) => value switch
    {
        double.NaN => "—",
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.0#", CultureInfo.InvariantCulture),
    };

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {_started:yyyy-MM-dd HH:mm} UTC on {BenchPlatform.Machine}, everything co-located.");
        md.AppendLine();
        md.AppendLine("| stage | figure | value | ratio | target | met |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var f in Figures)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Stage} | {f.Name}{(f.Note is null ? "" : $" ({f.Note})")} | {Format(f.Value)} {f.Unit} | {f.Ratio ?? ""} | {f.Target ?? ""} | {(f.Met is null ? "" : f.Met.Value ? "yes" : "**no**")} |");
        return md.ToString();
    }

    public async Task SaveAsync()
    {
        var folder = Environment.GetEnvironmentVariable("MOTCUA_BENCH_RESULTS") ?? "bench/results";
        Directory.CreateDirectory(folder);
        var name = Path.Combine(folder, $"{_started:yyyy-MM-dd-HHmm}-suite");
        await File.WriteAllTextAsync(name + ".json", JsonSerializer.Serialize(new
        {
            started = _started, finished = DateTimeOffset.UtcNow, machine = BenchPlatform.Machine, figures = Figures, details = Details,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        await File.WriteAllTextAsync(name + ".md", Markdown());
        Console.WriteLine();
        Console.WriteLine(Markdown());
        Console.WriteLine($"written {name}.json and {name}.md");
    }
}
