using System.Diagnostics;
using MotCua.Hosting;
using MotCua.Hosting.Http;
using MotCua.Hosting.Security;

namespace MotCua.Gateway.Edge;

/// <summary>The gateway's own middleware: the shared HTTP defaults, JWT validation and correlation ids.</summary>
public static class EdgeDefaults
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WebApplicationBuilder AddEdgeDefaults(this WebApplicationBuilder builder)
    {
        builder.AddHttpDefaults("gateway", edge: true);
        builder.Services.AddJwtAuthentication(builder.Configuration);
        builder.Services.AddHttpClient("services", client => client.Timeout = TimeSpan.FromSeconds(10));
        // CORS stays closed unless an installation names the origins of its own web front-ends.
        var origins = builder.Configuration["Cors:AllowedOrigins"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Length > 0) policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(CorrelationHeader);
        }));
        return builder;
    }

    public static WebApplication UseEdgeDefaults(this WebApplication app)
    {
        app.Use(Correlate);
        app.UseHttpDefaults();
        app.UseUnreachableServices();
        app.UseWebPages();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Keeps a caller's correlation id (or makes one from the trace) on the request the services see
    /// and on the answer, so a counter's support call can be matched to logs and traces.
    /// </summary>
    private static Task Correlate(HttpContext context, RequestDelegate next)
    {
        var given = context.Request.Headers[CorrelationHeader].ToString();
        var id = given.Length is > 0 and <= 100 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? given
            : Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        context.Request.Headers[CorrelationHeader] = id;
        context.Response.Headers[CorrelationHeader] = id;
        Activity.Current?.SetTag("correlation.id", id);
        return next(context);
    }
}
