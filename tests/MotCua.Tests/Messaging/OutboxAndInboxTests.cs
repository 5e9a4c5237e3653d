using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MotCua.Data.Messaging;
using MotCua.Tests.Support;
using Npgsql;

namespace MotCua.Tests.Messaging;

public sealed class OutboxAndInboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_event_committed_while_the_relay_is_stopped_is_published_once_it_runs_again()
    {
        var database = TestInfrastructure.FreshDatabase("outbox");
        var queue = "outbox-test-" + Guid.NewGuid().ToString("N")[..8];
        await (await MessagingHost.StartAsync(database, queue)).DisposeAsync();

        await using var dataSource = NpgsqlDataSource.Create(database);
        var code = "RELAY-" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Outbox.EnqueueAsync(connection, tx, MessagingHost.NewEvent(code), CancellationToken.None);
            await tx.CommitAsync();
        }
        Assert.Equal(1L, await Scalar(dataSource, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
        Assert.Equal(0L, await Effects(dataSource, code));

        await using var restarted = await MessagingHost.StartAsync(database, queue);
        await Eventually.True(async () => await Effects(dataSource, code) == 1, Patience, "the consumer sees the event");
        await Eventually.True(async () => await Scalar(dataSource, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0L,
            Patience, "the relay marks the row sent");
    }

    [Fact]
    public async Task A_message_published_again_with_the_same_id_has_no_second_effect()
    {
        var database = TestInfrastructure.FreshDatabase("inbox");
        await using var host = await MessagingHost.StartAsync(database, "inbox-test-" + Guid.NewGuid().ToString("N")[..8]);
        await using var dataSource = NpgsqlDataSource.Create(database);
        var code = "DUP-" + Guid.NewGuid().ToString("N")[..8];
        var message = MessagingHost.NewEvent(code);
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Outbox.EnqueueAsync(connection, tx, message, CancellationToken.None);
            await tx.CommitAsync();
        }
        await Eventually.True(async () => await Effects(dataSource, code) == 1, Patience, "the first delivery");

        // What a relay killed after publishing but before marking the row does on its next run,
        // plus a plain broker redelivery of the same message.
        await Scalar(dataSource, "UPDATE outbox SET sent_at = NULL RETURNING 1");
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(message, context => context.MessageId = message.EventId);
        await Eventually.True(async () => await Scalar(dataSource, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0L,
            Patience, "the relay republishes the row");

        var sentinel = "SENTINEL-" + Guid.NewGuid().ToString("N")[..8];
        await bus.Publish(MessagingHost.NewEvent(sentinel));
        await Eventually.True(async () => await Effects(dataSource, sentinel) == 1, Patience, "the sentinel behind the duplicates");
        Assert.Equal(1L, await Effects(dataSource, code));
    }

    [Fact]
    public async Task Instances_starting_together_migrate_the_database_once()
    {
        var database = TestInfrastructure.FreshDatabase("migrate");
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            MessagingHost.StartAsync(database, "migrate-test-" + Guid.NewGuid().ToString("N")[..8])));
        await using var dataSource = NpgsqlDataSource.Create(database);
        // Each started (none failed on a half-created table) and each script is recorded once.
        var scripts = typeof(Outbox).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));
        Assert.Equal(scripts, await Scalar(dataSource, "SELECT count(*) FROM schema_migrations WHERE id LIKE 'platform/%'"));
        foreach (var host in hosts) await host.DisposeAsync();
    }

    private static Task<long> Effects(NpgsqlDataSource dataSource, string code) =>
        Scalar(dataSource, $"SELECT count(*) FROM effects WHERE code = '{code}'");

    private static async Task<long> Scalar(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }
}
