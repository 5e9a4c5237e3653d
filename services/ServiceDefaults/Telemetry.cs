using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MotCua.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, from the
/// libraries' own sources (no instrumentation packages are served here), so one trace follows a
/// dossier from the counter through the bus to the citizen's SMS.
/// </summary>
public static class Telemetry
{
    /// <summary>The span tag that names the dossier a span worked on, for finding its trace by code.</summary>
    public const string DossierCodeTag = "motcua.dossier.code";

    // MotCua.* are the platform's own sources: the outbox relay, the notification deliveries.
    private static readonly string[] Sources =
        ["Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql", "Yarp.ReverseProxy", "MotCua.*"];
    private static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "MassTransit", "Npgsql"];

    public static void AddTelemetry(this IServiceCollection services, ILoggingBuilder logging, IConfiguration configuration, string serviceName)
    {
        // ASP.NET Core's own spans carry the HTTP semantic-convention tags only with this switch.
        AppContext.SetSwitch("Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData", false);
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;

        var sdk = OpenTelemetrySdk.Create(otel => otel
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddOtlpExporter()));
        services.AddSingleton(sdk);
        logging.AddOpenTelemetry(options =>
        {
            options.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName));
            options.AddOtlpExporter();
        });
    }
}
