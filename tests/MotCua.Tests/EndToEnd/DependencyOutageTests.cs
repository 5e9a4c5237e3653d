using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MotCua.Tests.Support;
using Npgsql;

namespace MotCua.Tests.EndToEnd;

public sealed class DependencyOutageTests
{
    [Fact]
    public async Task A_service_started_without_its_database_and_broker_stays_up_reports_not_ready_and_recovers()
    {
        var postgres = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer);
        var amqp = new Uri(TestInfrastructure.AmqpUri);
        await using var database = new TcpGate(postgres.Port);
        await using var broker = new TcpGate(amqp.Port);
        postgres.Port = database.Port;
        postgres.Database = $"outage_{Guid.NewGuid():N}"[..30];
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

        using var dossier = ServiceProcess.Start("services/Dossier",
            Path.Combine(ServiceProcess.RepositoryRoot, ".local", "test", "logs", "outage-" + Guid.NewGuid().ToString("N")[..8]),
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Database"] = postgres.ConnectionString,
                ["RabbitMq__Uri"] = $"amqp://guest:guest@127.0.0.1:{broker.Port}/",
                ["Jwt__SigningKey"] = key,
            });
        using var http = new HttpClient { BaseAddress = dossier.Address, Timeout = Patience.Of(TimeSpan.FromSeconds(10)) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(key, TimeSpan.FromHours(1)));
        var intake = new
        {
            procedureCode = "1.001193.000.00.00.H57", unitId = Guid.NewGuid(), channel = "counter",
            applicant = new { fullName = "Lê Văn Cường", idNumber = "079090001234" },
        };

        await Eventually.True(async () => (await http.GetAsync("/health/live")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the service is live without its dependencies");
        await Eventually.True(() => Task.FromResult(dossier.ReadLog().Contains("(attempt 3)")),
            TimeSpan.FromSeconds(30), "the service keeps retrying the database with back-off");
        Assert.False(dossier.HasExited);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
        using (var refused = await http.PostAsJsonAsync("/api/dossiers", intake))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter is not null, "503 carries Retry-After");
        }

        database.Open();
        broker.Open();
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90), "ready once the database and broker are back");
        // No Personnel here: give this Dossier's copy of the tree the unit, as Personnel's event would.
        await using (var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer)
                         { Database = postgres.Database }.ConnectionString))
        await using (var insert = dataSource.CreateCommand("INSERT INTO unit_directory (id, type, agency_code) VALUES ($1, 'commune', '000.00.99.H99')"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = intake.unitId });
            await insert.ExecuteNonQueryAsync();
        }
        using var accepted = await http.PostAsJsonAsync("/api/dossiers", intake);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}
