using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MotCua.Data.Messaging;
using MotCua.Tests.Support;
using RabbitMQ.Client;

namespace MotCua.Tests.Messaging;

/// <summary>
/// The stall a broker restart can leave (an endpoint that claims to consume while its queue has no consumer) cannot be
/// made on purpose, so MassTransit's word is stood in for: the probe, the broker and the stop are real.
/// </summary>
public sealed class StalledEndpointTests
{
    private static readonly Dictionary<string, string?> Quick = new()
    {
        ["RabbitMq:Stall:Timeout"] = "00:00:02",
        ["RabbitMq:Stall:CheckInterval"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_queue_its_endpoint_claims_to_consume_with_messages_and_no_consumer_stops_the_service()
    {
        var queue = "stalled-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await MessagingHost.StartAsync(TestInfrastructure.FreshDatabase("stall"), "stall-own-" + queue[8..], Quick);
        var stopping = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.AmqpUri) }.CreateConnectionAsync();
        await using (connection)
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync("", queue, "{}"u8.ToArray());
            try
            {
                var watchdog = host.Services.GetRequiredService<StalledEndpoints>();
                // A queue not declared yet closes the probe's channel when asked about; the others are still judged.
                await watchdog.Ready(new EndpointReady(new Uri(new Uri(TestInfrastructure.AmqpUri), "not-declared-" + queue)));
                await watchdog.Ready(new EndpointReady(new Uri(new Uri(TestInfrastructure.AmqpUri), queue)));
                await stopping.Task.WaitAsync(Patience.Of(TimeSpan.FromSeconds(20)));
                Assert.Equal(1, Environment.ExitCode);
            }
            finally
            {
                Environment.ExitCode = 0;
                await channel.QueueDeleteAsync(queue);
            }
        }
    }

    private sealed record EndpointReady(Uri InputAddress) : ReceiveEndpointReady
    {
        public IReceiveEndpoint ReceiveEndpoint => null!;

        public bool IsStarted => true;
    }
}
