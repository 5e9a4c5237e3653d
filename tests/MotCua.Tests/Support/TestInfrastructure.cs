using System.Net.Http.Json;
using Npgsql;

namespace MotCua.Tests.Support;

/// <summary>
/// The real RabbitMQ and PostgreSQL that <c>deploy/local/test.sh</c> starts for the run and
/// names in <c>MOTCUA_TEST_PG</c> and <c>MOTCUA_TEST_AMQP</c>.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresServer => Required("MOTCUA_TEST_PG");

    public static string AmqpUri => Required("MOTCUA_TEST_AMQP");

    /// <summary>The broker's management API, with its credentials, for the operator CLI's status and dead letters.</summary>
    public static string RabbitMqApi => Required("MOTCUA_TEST_RABBIT_API");

    /// <summary>Creates a virtual host on the run's broker, open to its user; returns the AMQP address into it.</summary>
    public static async Task<string> NewVirtualHostAsync(string name)
    {
        using var api = RabbitMqApiClient();
        (await api.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var amqp = new Uri(AmqpUri);
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':')[0]);
        (await api.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return new UriBuilder(amqp) { Path = "/" + name }.Uri.ToString();
    }

    public static async Task DeleteVirtualHostAsync(string name)
    {
        using var api = RabbitMqApiClient();
        await api.DeleteAsync($"api/vhosts/{name}");
    }

    /// <summary>The broker's management API, logged in.</summary>
    public static HttpClient RabbitMqApiClient()
    {
        var address = new Uri(RabbitMqApi);
        var http = new HttpClient { BaseAddress = new Uri(address.GetLeftPart(UriPartial.Path)) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(address.UserInfo))));
        return http;
    }

    /// <summary>A connection string to a database no other test uses (created by the code under test).</summary>
    public static string FreshDatabase(string purpose) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = $"t_{purpose}_{Guid.NewGuid():N}"[..40] }.ConnectionString;

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: run the tests through deploy/local/test.sh, which starts RabbitMQ and PostgreSQL.");
}
