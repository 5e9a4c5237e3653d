using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MotCua.Contracts;
using MotCua.Data.Database;
using MotCua.Data.Messaging;
using MotCua.Tests.Support;
using Npgsql;

namespace MotCua.Tests.Messaging;

/// <summary>
/// A process-like host with the data layer's database, migrations, bus and outbox relay on the real
/// broker and database, and one inbox consumer that records its effect in an <c>effects</c> table.
/// </summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<MessagingHost> StartAsync(string connectionString, string queue, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["RabbitMq:Uri"] = TestInfrastructure.AmqpUri,
            ["Outbox:PollInterval"] = "00:00:00.250",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IStartupStep, EffectsTable>();
        builder.Services.AddServiceDatabase(builder.Configuration, typeof(MessagingHost).Assembly);
        builder.Services.AddServiceBus(builder.Configuration, "test", bus => bus.AddConsumer<RecordingConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = queue;
            endpoint.Temporary = true;
            // One at a time, in order, so a later sentinel proves an earlier duplicate was handled.
            endpoint.ConcurrentMessageLimit = 1;
            endpoint.PrefetchCount = 1;
        }));
        var host = builder.Build();
        await host.StartAsync();
        using var ready = new CancellationTokenSource(Patience.Of(TimeSpan.FromSeconds(60)));
        await host.Services.GetRequiredService<DatabaseState>().Migrated.WaitAsync(ready.Token);
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
        return new MessagingHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    public static DossierReceived NewEvent(string code) => new(
        Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), code, "1.001193.000.00.00.H57", Guid.NewGuid(), "counter",
        DateTimeOffset.UtcNow, null, new ApplicantContact("Trần Thị Bình", null, null));

    private sealed class EffectsTable(NpgsqlDataSource dataSource) : IStartupStep
    {
        public async Task RunAsync(CancellationToken ct)
        {
            await using var command = dataSource.CreateCommand(
                "CREATE TABLE IF NOT EXISTS effects (code text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The effect under test: one row per handled event.</summary>
    public sealed class RecordingConsumer(NpgsqlDataSource dataSource, TimeProvider time)
        : InboxConsumer<DossierReceived>(dataSource, time)
    {
        protected override async Task HandleAsync(
            DossierReceived message, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO effects (code) VALUES ($1)", connection, transaction);
            insert.Parameters.AddWithValue(message.Code);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}
