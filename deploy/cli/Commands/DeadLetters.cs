using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Cli.Platform;
using RabbitMQ.Client;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua dead-letters list|replay|purge</c>: the messages a consumer gave up on after its retries, kept in the
/// queue's <c>_error</c> twin. Replaying moves them back to the queue they came from once the cause is fixed; the
/// consumers' inbox makes a replay of something already handled harmless.
/// </summary>
public static class DeadLetters
{
    // MassTransit's fault headers describe the failed attempt; a replayed message is a fresh attempt.
    private static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Host-"];

    public static Command Create()
    {
        var command = new Command("dead-letters", "The _error queues: list, replay or purge the messages consumers gave up on");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Replay());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Argument<string?> QueueArgument(string verb) => new("queue")
    {
        Description = $"The queue to {verb} (its name with or without _error); omit with --all",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static Option<bool> AllOption(string verb) => new("--all") { Description = $"{verb} every _error queue" };

    private static Command List()
    {
        var show = new Option<int>("--show") { Description = "Also show the first N messages of each queue (left in place)", DefaultValueFactory = _ => 0 };
        var command = new Command("list", "The _error queues that hold messages") { show };
        command.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            var dead = (await Broker.QueuesAsync(connection, ct)).Where(q => q.IsDeadLetters && q.Messages > 0).ToList();
            if (dead.Count == 0)
            {
                Operator.Done("no dead letters");
                return 0;
            }
            var table = new Table().AddColumns("queue", "messages", "replays to");
            foreach (var queue in dead) table.AddRow(Markup.Escape(queue.Name), queue.Messages.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(queue.Origin));
            AnsiConsole.Write(table);
            var count = parse.GetValue(show);
            if (count > 0)
                foreach (var queue in dead) await ShowAsync(connection, queue, count, ct);
            return 0;
        });
        return command;
    }

    /// <summary>Peeks through the management API, which takes the messages and puts them straight back.</summary>
    private static async Task ShowAsync(Connection connection, QueueState queue, int count, CancellationToken ct)
    {
        using var api = Broker.ManagementApi(connection);
        using var response = await api.PostAsJsonAsync(
            $"api/queues/{Uri.EscapeDataString(queue.Vhost)}/{Uri.EscapeDataString(queue.Name)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 2000 }, ct);
        if (!response.IsSuccessStatusCode) throw new OperatorException($"Could not read {queue.Name}: {(int)response.StatusCode}");
        var table = new Table().Title(Markup.Escape(queue.Name)).AddColumns("message id", "type", "failed because");
        foreach (var message in (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray())
        {
            var properties = message.GetProperty("properties");
            var headers = properties.TryGetProperty("headers", out var h) ? h : default;
            table.AddRow(
                Markup.Escape(properties.TryGetProperty("message_id", out var id) ? id.GetString() ?? "" : ""),
                Markup.Escape(Header(headers, "MT-Fault-MessageType") ?? Header(headers, "MT-MessageType") ?? ""),
                Markup.Escape(Header(headers, "MT-Fault-Message") ?? Header(headers, "MT-Reason") ?? ""));
        }
        AnsiConsole.Write(table);
    }

    private static string? Header(JsonElement headers, string name) =>
        headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static Command Replay()
    {
        var queue = QueueArgument("replay");
        var all = AllOption("Replay");
        var limit = new Option<int?>("--count") { Description = "Replay at most this many messages of each queue" };
        var command = new Command("replay", "Move dead letters back to the queue they failed in") { queue, all, limit };
        command.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            var targets = await TargetsAsync(connection, parse.GetValue(queue), parse.GetValue(all), ct);
            await using var amqp = await Broker.ConnectAsync(connection, ct);
            await using var channel = await amqp.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            long moved = 0;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                foreach (var target in targets)
                {
                    // The broker's own count, not the management API's figure, which lags by seconds.
                    var waiting = (await channel.QueueDeclarePassiveAsync(target.Name, ct)).MessageCount;
                    var max = Math.Min(waiting, parse.GetValue(limit) ?? long.MaxValue);
                    if (max == 0) continue;
                    var task = progress.AddTask(Markup.Escape($"{target.Name} → {target.Origin}"), maxValue: max);
                    for (var i = 0L; i < max; i++)
                    {
                        var message = await channel.BasicGetAsync(target.Name, autoAck: false, ct);
                        if (message is null) break;
                        var properties = new BasicProperties(message.BasicProperties)
                        {
                            Headers = message.BasicProperties.Headers?
                                .Where(h => !FaultHeaderPrefixes.Any(p => h.Key.StartsWith(p, StringComparison.Ordinal)))
                                .ToDictionary(h => h.Key, h => h.Value),
                        };
                        // The default exchange delivers to exactly the queue named, not to every subscriber of the message type.
                        await channel.BasicPublishAsync("", target.Origin, mandatory: true, properties, message.Body, ct);
                        await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                        moved++;
                        task.Increment(1);
                    }
                    task.Value = task.MaxValue;
                }
            });
            Operator.Done($"{moved} messages replayed");
            return 0;
        });
        return command;
    }

    private static Command Purge()
    {
        var queue = QueueArgument("purge");
        var all = AllOption("Purge");
        var command = new Command("purge", "Delete dead letters for good (asks first)") { queue, all };
        command.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            var targets = await TargetsAsync(connection, parse.GetValue(queue), parse.GetValue(all), ct);
            var total = targets.Sum(t => t.Messages);
            Operator.Confirm(connection, $"Delete {total} dead letters from {string.Join(", ", targets.Select(t => t.Name))} for good?");
            await using var amqp = await Broker.ConnectAsync(connection, ct);
            await using var channel = await amqp.CreateChannelAsync(cancellationToken: ct);
            uint purged = 0;
            foreach (var target in targets) purged += await channel.QueuePurgeAsync(target.Name, ct);
            Operator.Done($"{purged} dead letters purged");
            return 0;
        });
        return command;
    }

    private static async Task<List<QueueState>> TargetsAsync(Connection connection, string? queue, bool all, CancellationToken ct)
    {
        if (all == (queue is not null)) throw new OperatorException("Name one queue, or give --all.");
        var dead = (await Broker.QueuesAsync(connection, ct)).Where(q => q.IsDeadLetters).ToList();
        if (all) return dead;
        var name = queue!.EndsWith(Broker.ErrorSuffix, StringComparison.Ordinal) ? queue : queue + Broker.ErrorSuffix;
        return dead.FirstOrDefault(q => q.Name == name) is { } found
            ? [found]
            : throw new OperatorException($"There is no queue {name}; `motcua dead-letters list` shows the ones with messages.");
    }
}
