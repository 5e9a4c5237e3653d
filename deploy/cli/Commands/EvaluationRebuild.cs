using System.CommandLine;
using MotCua.Cli.Platform;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua evaluation rebuild</c>: Evaluation's figures replayed from its event log, after a change to how they are
/// computed or a restore. One transaction: readers see the old figures until the new ones are complete.
/// </summary>
public static class EvaluationRebuild
{
    public static Command Create()
    {
        var rebuild = new Command("rebuild", "Recompute every evaluation figure from the logged events");
        rebuild.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            Operator.Confirm(connection, "Recompute every evaluation figure from the event log? Reports keep their old figures until it ends.");
            using var http = await GatewayClient.LogInAsync(connection, ct, TimeSpan.FromMinutes(30));
            var result = await AnsiConsole.Status().StartAsync("replaying the event log…",
                _ => GatewayClient.SendAsync(http, HttpMethod.Post, "api/evaluation/rebuild", new { }, ct));
            Operator.Done($"{result.GetProperty("events").GetInt64()} events replayed into {result.GetProperty("dossiers").GetInt64()} dossiers " +
                $"in {result.GetProperty("seconds").GetDouble()} s");
            return 0;
        });
        var command = new Command("evaluation", "Evaluation of units and officials");
        command.Subcommands.Add(rebuild);
        return command;
    }
}
