using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;

namespace MotCua.Performance;

/// <summary>
/// What the machine itself does in the same run, for every other figure to be read against: single-row insert
/// transactions through Npgsql, persistent publishes confirmed by RabbitMQ, and a trivial Kestrel endpoint.
/// </summary>
public static class Baselines
{
    public sealed record Result(double InsertsPerSecond, double PublishesPerSecond, double KestrelPerSecond);

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task<Result> RunAsync(SuiteReport report)
    {
        var inserts = await InsertsAsync();
        report.Add(new("baseline", "PostgreSQL single-row insert transactions, 16 connections, synchronous commit", inserts, "/s", null, null, null, "Npgsql"));
        var publishes = await PublishesAsync();
        report.Add(new("baseline", "RabbitMQ persistent publishes, each confirmed, 16 publishers", publishes, "/s", null, null, null, "RabbitMQ.Client"));
        var kestrel = await KestrelAsync();
        report.Add(new("baseline", "trivial Kestrel endpoint, 32 callers", kestrel.PerSecond, "/s", null, null, null,
            $"p50 {kestrel.Percentile(0.5):F1} ms, p99 {kestrel.Percentile(0.99):F1} ms"));
        return new Result(inserts, publishes, kestrel.PerSecond);
    }

    private static async Task<double> InsertsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(BenchPlatform.Database("dossier")) { MaxPoolSize = 32 }.ConnectionString);
        await Execute(dataSource, "DROP TABLE IF EXISTS bench_baseline; CREATE TABLE bench_baseline (id uuid PRIMARY KEY, at timestamptz NOT NULL, body text NOT NULL)");
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SET synchronous_commit = on", connection);
            await command.ExecuteNonQueryAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_baseline (id, at, body) VALUES ($1, now(), $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty });
            insert.Parameters.Add(new NpgsqlParameter { Value = "Hồ sơ đăng ký khai sinh" });
            while (clock.Elapsed < Duration)
            {
                insert.Parameters[0].Value = Guid.NewGuid();
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref done);
            }
        }));
        var rate = done / clock.Elapsed.TotalSeconds;
        await Execute(dataSource, "DROP TABLE bench_baseline");
        return rate;
    }

    private static async Task<double> PublishesAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(Environment.GetEnvironmentVariable("MOTCUA_AMQP") ?? "amqp://guest:guest@127.0.0.1:55672/") };
        await using var connection = await factory.CreateConnectionAsync();
        const string queue = "bench-baseline";
        await using (var setup = await connection.CreateChannelAsync())
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        var body = new byte[600];
        Random.Shared.NextBytes(body);
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
            var properties = new BasicProperties { Persistent = true };
            while (clock.Elapsed < Duration)
            {
                await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
                Interlocked.Increment(ref done);
            }
        }));
        var rate = done / clock.Elapsed.TotalSeconds;
        await using (var cleanup = await connection.CreateChannelAsync())
            await cleanup.QueueDeleteAsync(queue);
        return rate;
    }

    private static async Task<LoadResult> KestrelAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/", () => Results.Text("ok"));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = Load.Client(address, 32);
        var result = await Load.ClosedLoopAsync(32, Duration, async _ =>
        {
            using var response = await http.GetAsync("/");
            return response.StatusCode;
        });
        await app.StopAsync();
        return result;
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
