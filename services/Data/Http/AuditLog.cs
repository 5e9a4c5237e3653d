using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MotCua.Data.Database;
using MotCua.Hosting.Security;
using Npgsql;

using MotCua.Hosting.Http;

namespace MotCua.Data.Http;

/// <summary>
/// Every write request (POST, PUT, PATCH, DELETE under /api) leaves a row in the append-only
/// <c>audit_log</c>: who, what (method, path, status), when, from which address. Bodies are not kept,
/// so no personal data lands there. <c>GET /api/admin/audit</c> lists it (admin).
/// </summary>
public static partial class AuditLog
{
    public sealed record Entry(long Id, DateTimeOffset At, Guid? ActorId, string ActorName, string Method, string Path,
        int Status, string? Address, string? CorrelationId);

    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api"))
            return;
        var services = context.RequestServices;
        try
        {
            var caller = context.User.Identity?.IsAuthenticated == true ? Caller.From(context) : null;
            await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync(null, """
                INSERT INTO audit_log (at, actor_id, actor_name, method, path, status, address, correlation_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, CancellationToken.None,
                services.GetRequiredService<TimeProvider>().GetUtcNow(), caller?.Id, caller?.Name ?? "anonymous",
                context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, context.ClientAddress(),
                context.Request.Headers["X-Correlation-Id"].ToString() is { Length: > 0 } id ? id : null);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            LogNotAudited(services.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(AuditLog)), e,
                context.Request.Method, context.Request.Path.Value);
        }
    });

    public static void MapAuditLog(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/audit", async (HttpRequest request, Guid? actorId, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            var paging = Paging.From(request, errors);
            if (errors.Any) return errors.ToResult();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var rows = await connection.ListAsync(null, """
                SELECT id, at, actor_id, actor_name, method, path, status, address, correlation_id, count(*) OVER ()
                FROM audit_log WHERE ($1::uuid IS NULL OR actor_id = $1) ORDER BY id DESC LIMIT $2 OFFSET $3
                """, r => (Entry: new Entry(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.Nullable<Guid>(2), r.GetString(3),
                r.GetString(4), r.GetString(5), r.GetInt32(6), r.NullableString(7), r.NullableString(8)), Total: r.GetInt64(9)),
                ct, actorId, paging.PageSize, paging.Offset);
            return Results.Ok(new PagedList<Entry>(rows.Select(r => r.Entry).ToList(), paging.Page, paging.PageSize,
                rows.FirstOrDefault().Total));
        }).RequireAuthorization(Policies.Admin);

    [LoggerMessage(LogLevel.Error, "Could not audit {Method} {Path}")]
    private static partial void LogNotAudited(ILogger logger, Exception e, string method, string? path);
}
