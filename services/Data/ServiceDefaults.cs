using System.Reflection;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MotCua.Data.Database;
using MotCua.Data.Http;
using MotCua.Data.Messaging;
using MotCua.Data.Time;
using MotCua.Hosting;
using MotCua.Hosting.Http;
using MotCua.Hosting.Security;
using MotCua.Hosting.Time;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MotCua.Data;

/// <summary>What each of the four services runs on, in the order a reader meets it: hosting, then its database and bus.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>MassTransit's activity source and meter.</summary>
    private const string MassTransitSource = "MassTransit";

    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Before the hosting defaults' own handler, which answers anything it is given.
        services.AddExceptionHandler<DatabaseProblems>();
        builder.AddHttpDefaults(serviceName);

        services.AddServiceDatabase(configuration, Assembly.GetEntryAssembly()!);
        services.AddServiceBus(configuration, serviceName, consumers);
        if (ClockMode.IsSimulated(configuration))
        {
            services.AddSingleton<SimulatedClock>();
            services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SimulatedClock>());
            services.AddSingleton<IStartupStep>(sp => sp.GetRequiredService<SimulatedClock>());
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
        }
        services.AddJwtAuthentication(configuration);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddOpenApi();
        if (Telemetry.IsExported(configuration))
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql().AddSource(MassTransitSource));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddNpgsqlInstrumentation().AddMeter(MassTransitSource));
        }
        return builder;
    }

    /// <summary>The middleware every service runs, then the health and clock endpoints.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseHttpDefaults();
        app.UseApiGate();
        app.UseAuthentication();
        app.UseAuditLog();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .AllowAnonymous();
        app.MapAuditLog();
        // The service's OpenAPI document; the gateway serves it as /openapi/{service}.json.
        app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
        if (ClockMode.IsSimulated(app.Configuration)) app.MapClockApi();
        return app;
    }
}
