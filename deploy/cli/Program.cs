using System.CommandLine;
using MotCua.Cli.Commands;
using MotCua.Cli.Platform;
using Spectre.Console;

// motcua: the operator's tool for a running MotCua. Exit codes: 0 done, 1 failed or refused, 2 wrong usage.
// Piped into a file or a log, the tables are plain text as wide as COLUMNS says (or 160), and nothing waits for an answer.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) ? columns : 160;
}

var root = new RootCommand("MotCua operator tool: demo data, health, dead letters, evaluation, reports, backups, the calendar");
foreach (var option in Connection.All) root.Options.Add(option);
root.Subcommands.Add(SeedDemo.Create());
root.Subcommands.Add(MotCua.Cli.Commands.Status.Create());
root.Subcommands.Add(DeadLetters.Create());
root.Subcommands.Add(EvaluationRebuild.Create());
root.Subcommands.Add(ReportsExport.Create());
root.Subcommands.Add(Backup.Create());
root.Subcommands.Add(Restore.Create());
root.Subcommands.Add(CalendarImport.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("See motcua --help.");
    return 2;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperatorException e)
{
    Operator.Failed(e.Message);
    return 1;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A dependency failing in a way no command foresaw: one line for the operator, not a stack trace.
    Operator.Failed($"{e.GetType().Name}: {e.Message}");
    return 1;
}
