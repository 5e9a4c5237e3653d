using System.CommandLine;
using System.Text.Json;
using MotCua.Cli.Platform;
using Npgsql;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua status</c>: is every part up, and is anything piling up — each instance behind the gateway, each service's
/// database with its outbox backlog, the broker with its queue depths and dead letters. Exits 1 when a part is down,
/// so a monitoring cron can call it.
/// </summary>
public static class Status
{
    public static Command Create()
    {
        var command = new Command("status", "Health of every part, queue depths and outbox backlog");
        command.SetAction(async (parse, ct) => await RunAsync(Connection.From(parse), ct));
        return command;
    }

    private static async Task<int> RunAsync(Connection connection, CancellationToken ct)
    {
        var healthy = await InstancesAsync(connection, ct);
        healthy &= await DatabasesAsync(connection, ct);
        healthy &= await QueuesAsync(connection, ct);
        if (healthy) Operator.Done("every part is up");
        else Operator.Failed("some parts are down");
        return healthy ? 0 : 1;
    }

    private static async Task<bool> InstancesAsync(Connection connection, CancellationToken ct)
    {
        var table = new Table().Title("[bold]Services[/] (through the gateway)").AddColumns("service", "instance", "ready");
        bool ready;
        try
        {
            using var http = await ClientAsync(connection, ct);
            using var response = await http.GetAsync("health/ready", ct);
            var health = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(ct));
            foreach (var service in health.GetProperty("services").EnumerateArray())
                // Addresses are for an admin's token; without one the gateway numbers the instances.
                table.AddRow(service.GetProperty("service").GetString()!,
                    service.TryGetProperty("address", out var address) ? address.GetString()! : "#" + service.GetProperty("instance").GetInt32(),
                    service.GetProperty("ready").GetBoolean() ? "[green]ready[/]" : "[red]not ready[/]");
            ready = response.IsSuccessStatusCode;
            table.AddRow("gateway", Markup.Escape(connection.Gateway.ToString()), ready ? "[green]ready[/]" : "[red]not ready[/]");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            table.AddRow("gateway", Markup.Escape(connection.Gateway.ToString()), $"[red]{Markup.Escape(e.Message)}[/]");
            ready = false;
        }
        AnsiConsole.Write(table);
        return ready;
    }

    /// <summary>
    /// Logged in when it can be, for the gateway names each instance's address only to an admin; anonymous otherwise
    /// (no password, Personnel down, log-in refused), when it numbers them: health is answered either way.
    /// </summary>
    private static async Task<HttpClient> ClientAsync(Connection connection, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(connection.Password))
            try
            {
                return await GatewayClient.LogInAsync(connection.Gateway, connection.User, connection.Password, ct, TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is OperatorException or TaskCanceledException)
            {
            }
        return new HttpClient { BaseAddress = connection.Gateway, Timeout = TimeSpan.FromSeconds(10) };
    }

    private static async Task<bool> DatabasesAsync(Connection connection, CancellationToken ct)
    {
        var table = new Table().Title("[bold]Databases[/]").AddColumns("service", "database", "size", "outbox pending", "oldest pending");
        var healthy = true;
        foreach (var service in Databases.Services)
        {
            var name = Databases.NameOf(connection, service);
            try
            {
                await using var db = new NpgsqlConnection(Databases.ConnectionString(connection, name));
                await db.OpenAsync(ct);
                await using var query = new NpgsqlCommand("""
                    SELECT pg_database_size(current_database()), count(*), min(created_at) FROM outbox WHERE sent_at IS NULL
                    """, db);
                await using var row = await query.ExecuteReaderAsync(ct);
                await row.ReadAsync(ct);
                var pending = row.GetInt64(1);
                // Rows are stamped by the platform's clock, which a demo may run ahead of this one's: no age is shown then.
                var age = row.IsDBNull(2) ? TimeSpan.MinValue : DateTime.UtcNow - row.GetDateTime(2);
                var oldest = age >= TimeSpan.Zero ? $"{age.TotalSeconds:0} s ago" : "";
                table.AddRow(service, name, Operator.Size(row.GetInt64(0)), pending == 0 ? "0" : $"[yellow]{pending}[/]", oldest);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                table.AddRow(service, name, "", "", $"[red]{Markup.Escape(e.Message)}[/]");
                healthy = false;
            }
        }
        AnsiConsole.Write(table);
        return healthy;
    }

    private static async Task<bool> QueuesAsync(Connection connection, CancellationToken ct)
    {
        IReadOnlyList<QueueState> queues;
        try
        {
            queues = await Broker.QueuesAsync(connection, ct);
        }
        catch (OperatorException e)
        {
            Operator.Failed(e.Message);
            return false;
        }
        var table = new Table().Title("[bold]Queues[/] (waiting messages; dead letters in red)").AddColumns("queue", "type", "messages", "consumers");
        foreach (var queue in queues.Where(q => q.Messages > 0 || !q.IsDeadLetters))
            table.AddRow(Markup.Escape(queue.Name), queue.Type,
                queue.IsDeadLetters ? $"[red]{queue.Messages}[/]" : queue.Messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
                queue.Consumers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        var dead = queues.Where(q => q.IsDeadLetters).Sum(q => q.Messages);
        if (dead > 0) Operator.Warn($"{dead} dead letters: see `motcua dead-letters list`");
        return true;
    }
}
