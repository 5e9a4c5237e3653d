using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MotCua.Hosting.Http;

/// <summary>What every HTTP process of MotCua does alike, the gateway included.</summary>
public static class HttpDefaults
{
    /// <param name="edge">The gateway: the first to see a caller, so it trusts no forwarded address by default.</param>
    public static WebApplicationBuilder AddHttpDefaults(this WebApplicationBuilder builder, string serviceName, bool edge = false)
    {
        var configuration = builder.Configuration;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Header values are UTF-8 end to end (a Vietnamese X-Access-Reason), as the gateway forwards them.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.UTF8;
            kestrel.Limits.MaxRequestBodySize = configuration.GetValue("Http:MaxRequestBodyBytes", 1L << 20);
        });
        // Per-request lines drown what matters; operators raise them through Logging__LogLevel__* when needed.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // It logs every exception before our handlers see it, a malformed body included, as an error with its stack;
        // the handlers log what deserves it themselves (ExceptionProblems, DatabaseProblems).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder", LogLevel.Warning);
        // The gateway's probe of every destination every 10 s; a destination turning unhealthy is still a warning.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Health", LogLevel.Warning);
        builder.AddTelemetry(serviceName);
        builder.Services.AddClientAddresses(edge);
        builder.AddRateLimits(edge);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        // Minimal APIs otherwise answer a malformed body with an empty 400; we want the field named.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => ApplyJson(options.SerializerOptions));
        return builder;
    }

    /// <summary>How every body is read and every answer written (the fast lane's fuzz test reads with the same).</summary>
    public static JsonSerializerOptions ApplyJson(JsonSerializerOptions options)
    {
        options.MaxDepth = 32;
        options.Converters.Add(new UtcInstantConverter());
        options.Converters.Add(new PlainTextConverter());
        return options;
    }

    public static WebApplication UseHttpDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((context, next) =>
        {
            // Set when the answer starts, so a proxied answer's copies are replaced, not doubled.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // API answers are one official's view, often with a citizen's data in it: no cache keeps them.
                if (context.Request.Path.StartsWithSegments("/api") && headers.CacheControl.Count == 0) headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.Use(PlainTextRequests.Check);
        return app;
    }
}
