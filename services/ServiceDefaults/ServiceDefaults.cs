using System.Reflection;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MotCua.ServiceDefaults.Database;
using MotCua.ServiceDefaults.Http;
using MotCua.ServiceDefaults.Messaging;
using MotCua.ServiceDefaults.Security;
using MotCua.ServiceDefaults.Time;

namespace MotCua.ServiceDefaults;

/// <summary>Everything the four services share, in the order a reader meets it.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.AddHttpDefaults(serviceName);

        services.AddServiceDatabase(configuration, Assembly.GetEntryAssembly()!);
        services.AddServiceBus(configuration, serviceName, consumers);
        if (IsClockSimulated(configuration))
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
        services.AddSingleton(new UnitScopeSource("unit_directory"));
        services.AddSingleton<UnitScope>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddOpenApi();
        return builder;
    }

    public static bool IsClockSimulated(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        string.Equals(configuration["MOTCUA_CLOCK"], "simulated", StringComparison.OrdinalIgnoreCase);

    /// <summary>The middleware every service runs, then the health and clock endpoints.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseHttpDefaults();
        app.UseApiGate();
        app.UseAuthentication();
        app.UseAuditLog();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .AllowAnonymous();
        app.MapAuditLog();
        // The service's OpenAPI document; the gateway serves it as /openapi/{service}.json.
        app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
        if (IsClockSimulated(app.Configuration)) app.MapClockApi();
        return app;
    }
}
