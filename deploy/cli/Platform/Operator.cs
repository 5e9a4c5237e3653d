using Spectre.Console;

namespace MotCua.Cli.Platform;

/// <summary>A command that cannot go on: its message is printed and the tool exits with 1.</summary>
public sealed class OperatorException(string message) : Exception(message);

/// <summary>What every command says to the operator, and how it asks before doing harm.</summary>
public static class Operator
{
    public static void Done(string message) => AnsiConsole.MarkupLine($"[green]✓[/] {Markup.Escape(message)}");

    public static void Warn(string message) => AnsiConsole.MarkupLine($"[yellow]![/] {Markup.Escape(message)}");

    public static void Failed(string message) => AnsiConsole.MarkupLine($"[red]✗[/] {Markup.Escape(message)}");

    /// <summary>
    /// Destructive actions ask first. <c>--yes</c> answers for scripts; without it and without a terminal to ask
    /// at, the answer is no, so a cron job never destroys anything by accident.
    /// </summary>
    public static void Confirm(Connection connection, string question)
    {
        if (connection.Yes) return;
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsInputRedirected)
            throw new OperatorException($"Not confirmed, nothing done (run it at a terminal, or add --yes): {question}");
        if (!AnsiConsole.Confirm(question, defaultValue: false)) throw new OperatorException("Stopped: not confirmed.");
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1 << 30 => $"{bytes / (double)(1 << 30):0.0} GiB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.0} MiB",
        >= 1 << 10 => $"{bytes / (double)(1 << 10):0.0} KiB",
        _ => $"{bytes} B",
    };
}
