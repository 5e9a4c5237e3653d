using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MotCua.Hosting;

/// <summary>
/// Traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the rest of the
/// standard <c>OTEL_*</c> variables), so one trace follows a dossier from the counter through the bus to the citizen's SMS.
/// The host owns the providers, so what is buffered is flushed when the process stops. Personal data is redacted from
/// spans and logs before they leave (<see cref="PersonalDataRedaction"/>). A service's data layer adds its own sources
/// (Npgsql, MassTransit) through <c>ConfigureOpenTelemetryTracerProvider</c>.
/// </summary>
public static class Telemetry
{
    /// <summary>The span tag that names the dossier a span worked on, for finding its trace by code.</summary>
    public const string DossierCodeTag = "motcua.dossier.code";

    /// <summary>The platform's own sources (the outbox relay, the notification deliveries) and the proxy's.</summary>
    private static readonly string[] Sources = ["Yarp.ReverseProxy", "MotCua.*"];

    public static bool IsExported(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        if (!IsExported(builder.Configuration)) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                // Probes every few seconds would bury the traces people look for.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource(Sources)
                .AddProcessor(new PersonalDataRedaction.Spans())
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter())
            .WithLogging(logging => logging
                .AddProcessor(new PersonalDataRedaction.Logs())
                .AddOtlpExporter(), options => options.IncludeFormattedMessage = true);
        return builder;
    }
}
