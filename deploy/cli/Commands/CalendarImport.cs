using System.CommandLine;
using System.Globalization;
using MotCua.Cli.Platform;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua calendar import &lt;file.csv&gt;</c>: the year's days off and working Saturdays as the Government announces
/// them (Tết, 30/4–1/5, 2/9, and the days swapped to make bridges), one line a day: <c>date,kind[,name]</c> with kind
/// <c>holiday</c> or <c>working_saturday</c>. Each year in the file replaces that year's calendar whole; the file is
/// checked entirely before anything is sent.
/// </summary>
public static class CalendarImport
{
    private sealed record Day(int Line, DateOnly Date, string Kind);

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file: date (yyyy-MM-dd), kind (holiday | working_saturday), optional name" };
        var import = new Command("import", "Set the working calendar's holidays and working Saturdays from a CSV file") { file };
        import.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            var days = await ReadAsync(parse.GetValue(file)!, ct);
            using var http = await GatewayClient.LogInAsync(connection, ct);
            var years = days.GroupBy(d => d.Date.Year).OrderBy(g => g.Key).ToList();
            var table = new Table().AddColumns("year", "holidays", "working Saturdays", "before");
            var replacing = new List<int>();
            foreach (var year in years)
            {
                var before = await CurrentAsync(http, year.Key, ct);
                if (before is { } old && (old.Holidays > 0 || old.Saturdays > 0)) replacing.Add(year.Key);
                table.AddRow(year.Key.ToString(CultureInfo.InvariantCulture), year.Count(d => d.Kind == "holiday").ToString(CultureInfo.InvariantCulture),
                    year.Count(d => d.Kind == "working_saturday").ToString(CultureInfo.InvariantCulture),
                    before is { } b ? $"{b.Holidays} holidays, {b.Saturdays} working Saturdays" : "none");
            }
            AnsiConsole.Write(table);
            if (replacing.Count > 0) Operator.Confirm(connection, $"Replace the calendar of {string.Join(", ", replacing)}?");
            foreach (var year in years)
                await GatewayClient.SendAsync(http, HttpMethod.Put, $"api/calendar/{year.Key}", new
                {
                    holidays = year.Where(d => d.Kind == "holiday").Select(d => d.Date),
                    workingSaturdays = year.Where(d => d.Kind == "working_saturday").Select(d => d.Date),
                }, ct);
            Operator.Done($"{days.Count} days imported into {years.Count} years; dossiers already received keep their due dates");
            return 0;
        });
        var command = new Command("calendar", "The working calendar (lịch làm việc)");
        command.Subcommands.Add(import);
        return command;
    }

    private static async Task<(int Holidays, int Saturdays)?> CurrentAsync(HttpClient http, int year, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/calendar/{year}", ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        var body = await GatewayClient.SendAsync(http, HttpMethod.Get, $"api/calendar/{year}", null, ct);
        return (body.GetProperty("holidays").GetArrayLength(), body.GetProperty("workingSaturdays").GetArrayLength());
    }

    private static async Task<List<Day>> ReadAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new OperatorException($"{file.FullName} does not exist.");
        var days = new List<Day>();
        var problems = new List<string>();
        var lines = await File.ReadAllLinesAsync(file.FullName, ct);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (i == 0 && fields[0].Equals("date", StringComparison.OrdinalIgnoreCase)) continue;
            if (fields.Length < 2)
            {
                problems.Add($"line {i + 1}: expected date,kind[,name]");
                continue;
            }
            if (!DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                problems.Add($"line {i + 1}: '{fields[0]}' is not a date like 2026-09-02");
            else if (fields[1] is not ("holiday" or "working_saturday"))
                problems.Add($"line {i + 1}: kind '{fields[1]}' is neither holiday nor working_saturday");
            else if (fields[1] == "working_saturday" && date.DayOfWeek != DayOfWeek.Saturday)
                problems.Add($"line {i + 1}: {date:yyyy-MM-dd} is a {date.DayOfWeek}, not a Saturday");
            else if (days.FirstOrDefault(d => d.Date == date) is { } twice)
                problems.Add($"line {i + 1}: {date:yyyy-MM-dd} is already on line {twice.Line}");
            else
                days.Add(new Day(i + 1, date, fields[1]));
        }
        if (problems.Count > 0) throw new OperatorException($"{file.Name} was not imported:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        if (days.Count == 0) throw new OperatorException($"{file.Name} lists no days.");
        return days;
    }
}
