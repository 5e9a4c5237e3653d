using System.CommandLine;
using MotCua.Cli.Platform;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua reports export</c>: the evaluation of a unit for a period as CSV files for the office's own archive and
/// spreadsheets — the unit's report, the ranking of its child units and officials, and each child unit's report.
/// </summary>
public static class ReportsExport
{
    public static Command Create()
    {
        var unit = new Option<string>("--unit") { Description = "The unit, by id or by code", Required = true };
        var period = new Option<string>("--period") { Description = "2026-10 (month), 2026-Q3 (quarter), 2026 (year) or 2026-10-15 (day)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write into (created if missing)", DefaultValueFactory = _ => new DirectoryInfo("reports") };
        var export = new Command("export", "Write a unit's evaluation, its rankings and its child units' evaluations as CSV") { unit, period, output };
        export.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            using var http = await GatewayClient.LogInAsync(connection, ct);
            var asked = parse.GetValue(period)!;
            var target = await FindUnitAsync(http, parse.GetValue(unit)!, ct);
            var children = await ChildrenAsync(http, target.Id, ct);
            var folder = parse.GetValue(output)!;
            folder.Create();
            var files = new List<string>();
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{Markup.Escape(target.Code)} {Markup.Escape(asked)}", maxValue: 2 + children.Count);
                files.Add(await SaveAsync(http, $"api/evaluation/units/{target.Id}?period={Uri.EscapeDataString(asked)}&format=csv",
                    folder, $"{target.Code}-{asked}.csv", ct));
                task.Increment(1);
                files.Add(await SaveAsync(http, $"api/evaluation/rankings?unitId={target.Id}&period={Uri.EscapeDataString(asked)}&format=csv",
                    folder, $"{target.Code}-{asked}-rankings.csv", ct));
                task.Increment(1);
                foreach (var child in children)
                {
                    files.Add(await SaveAsync(http, $"api/evaluation/units/{child.Id}?period={Uri.EscapeDataString(asked)}&format=csv",
                        folder, $"{child.Code}-{asked}.csv", ct));
                    task.Increment(1);
                }
            });
            Operator.Done($"{files.Count} reports written to {folder.FullName}");
            return 0;
        });
        var command = new Command("reports", "Evaluation reports");
        command.Subcommands.Add(export);
        return command;
    }

    private sealed record Unit(Guid Id, string Code);

    private static async Task<Unit> FindUnitAsync(HttpClient http, string idOrCode, CancellationToken ct)
    {
        if (Guid.TryParse(idOrCode, out var id))
        {
            var unit = await GatewayClient.SendAsync(http, HttpMethod.Get, $"api/units/{id}", null, ct);
            return new Unit(id, unit.GetProperty("code").GetString()!);
        }
        return (await ListAsync(http, "descendants=true", ct)).FirstOrDefault(u => string.Equals(u.Code, idOrCode, StringComparison.OrdinalIgnoreCase))
            ?? throw new OperatorException($"No unit has the code {idOrCode}.");
    }

    private static Task<List<Unit>> ChildrenAsync(HttpClient http, Guid parent, CancellationToken ct) => ListAsync(http, $"parentId={parent}", ct);

    private static async Task<List<Unit>> ListAsync(HttpClient http, string filter, CancellationToken ct)
    {
        var units = new List<Unit>();
        for (var page = 1; ; page++)
        {
            var body = await GatewayClient.SendAsync(http, HttpMethod.Get, $"api/units?{filter}&page={page}&pageSize=200", null, ct);
            var items = body.GetProperty("items").EnumerateArray().ToList();
            units.AddRange(items.Select(u => new Unit(u.GetProperty("id").GetGuid(), u.GetProperty("code").GetString()!)));
            if (items.Count < 200) return units;
        }
    }

    private static async Task<string> SaveAsync(HttpClient http, string path, DirectoryInfo folder, string name, CancellationToken ct)
    {
        using var response = await GatewayClient.ExchangeAsync(http, HttpMethod.Get, path, null, ct);
        var file = Path.Combine(folder.FullName, string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)));
        await using (var stream = File.Create(file))
            await response.Content.CopyToAsync(stream, ct);
        return file;
    }
}
