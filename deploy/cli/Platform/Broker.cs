using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace MotCua.Cli.Platform;

/// <summary>A queue as the broker's management API reports it.</summary>
public sealed record QueueState(string Name, string Vhost, long Messages, long Consumers, string Type)
{
    /// <summary>MassTransit moves a message that failed all its retries to the queue's <c>_error</c> twin.</summary>
    public bool IsDeadLetters => Name.EndsWith(Broker.ErrorSuffix, StringComparison.Ordinal);

    public string Origin => IsDeadLetters ? Name[..^Broker.ErrorSuffix.Length] : Name;
}

/// <summary>RabbitMQ: its management API to list queues, AMQP to move and purge messages.</summary>
public static class Broker
{
    public const string ErrorSuffix = "_error";

    public static HttpClient ManagementApi(Connection connection)
    {
        var api = connection.RabbitMqApi;
        var http = new HttpClient { BaseAddress = new Uri(api.GetLeftPart(UriPartial.Path)), Timeout = TimeSpan.FromSeconds(15) };
        var credentials = Uri.UnescapeDataString(api.UserInfo is { Length: > 0 } info ? info : "guest:guest");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }

    public static async Task<IReadOnlyList<QueueState>> QueuesAsync(Connection connection, CancellationToken ct)
    {
        using var api = ManagementApi(connection);
        JsonElement queues;
        try
        {
            queues = await api.GetFromJsonAsync<JsonElement>(
                $"api/queues/{Uri.EscapeDataString(VirtualHost(connection))}?columns=name,vhost,messages,consumers,type", ct);
        }
        catch (HttpRequestException e)
        {
            throw new OperatorException($"The broker's management API at {api.BaseAddress} did not answer: {e.Message}");
        }
        return [.. queues.EnumerateArray().Select(q => new QueueState(
            q.GetProperty("name").GetString()!, q.GetProperty("vhost").GetString()!,
            q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0,
            q.TryGetProperty("consumers", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : 0,
            q.TryGetProperty("type", out var t) ? t.GetString() ?? "classic" : "classic"))
            .OrderBy(q => q.Name, StringComparer.Ordinal)];
    }

    /// <summary>The virtual host the AMQP address names, as RabbitMQ reads it: "/" when the address has no path.</summary>
    public static string VirtualHost(Connection connection) =>
        connection.RabbitMq.AbsolutePath is "/" or "" ? "/" : Uri.UnescapeDataString(connection.RabbitMq.AbsolutePath.TrimStart('/'));

    public static async Task<IConnection> ConnectAsync(Connection connection, CancellationToken ct)
    {
        try
        {
            return await new ConnectionFactory { Uri = connection.RabbitMq, ClientProvidedName = "motcua-cli" }.CreateConnectionAsync(ct);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or System.Net.Sockets.SocketException)
        {
            throw new OperatorException($"The broker at {connection.RabbitMq.Host}:{connection.RabbitMq.Port} did not answer: {e.Message}");
        }
    }
}
