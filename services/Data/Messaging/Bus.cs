using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MotCua.Data.Messaging;

public static class BusRegistration
{
    /// <summary>
    /// MassTransit on RabbitMQ (<c>RabbitMq:Uri</c>), kebab-case endpoints prefixed by the service, in-process retries then the
    /// <c>_error</c> queue (Debian's RabbitMQ has no delayed-message plugin), and the outbox relay.
    /// The bus starts in the background and keeps reconnecting, so a broker that is down makes the
    /// service not ready rather than crash it. With <c>RabbitMq:QuorumQueues</c> the shared queues are quorum
    /// queues, replicated across a broker cluster; an instance's own queues stay classic, as quorum queues
    /// cannot be deleted with their consumer. An endpoint that stalls after the connection drops stops the process
    /// (<see cref="StalledEndpoints"/>).
    /// </summary>
    public static IServiceCollection AddServiceBus(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Action<IBusRegistrationConfigurator>? consumers)
    {
        var uri = new Uri(configuration["RabbitMq:Uri"]
            ?? throw new InvalidOperationException("RabbitMq:Uri is not set (environment: RabbitMq__Uri)."));
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            // Queues carry the service's name: several services run the same directory consumers, and each
            // must get every event rather than compete for it.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            consumers?.Invoke(bus);
            if (configuration.GetValue("RabbitMq:QuorumQueues", false))
                bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && !InstanceQueues.Owns(name)) rabbit.SetQuorumQueue();
                });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri);
                rabbit.PrefetchCount = configuration.GetValue("RabbitMq:Prefetch", 32);
                rabbit.UseConsumeFilter(typeof(AfterMigrations<>), context);
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Intervals(TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection("Outbox"));
        services.AddHostedService<OutboxRelay>();
        services.AddOptions<StalledEndpointOptions>().Bind(configuration.GetSection("RabbitMq:Stall"));
        services.AddSingleton<StalledEndpoints>();
        services.AddHostedService(sp => sp.GetRequiredService<StalledEndpoints>());
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<StalledEndpoints>());
        return services;
    }
}
