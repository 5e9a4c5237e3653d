using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Notification.Deliveries;

/// <summary><c>GET /api/notifications?dossierCode=</c>: what was sent about a dossier of the caller's units, recipients masked.</summary>
public static class DeliveryLog
{
    public sealed record Delivery(
        string DossierCode, string Channel, string Recipient, string Template, string Status, int Attempts,
        DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt, string? LastError);

    public static void MapDeliveryLog(this IEndpointRouteBuilder app) => app.MapGet("/api/notifications", List);

    private static async Task<IResult> List(HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, CancellationToken ct)
    {
        var request = http.Request;
        var errors = new FieldErrors();
        var dossierCode = request.Query["dossierCode"].ToString();
        errors.Require("dossierCode", dossierCode, 60);
        var paging = Paging.From(request, errors);
        if (errors.Any) return errors.ToResult();

        var units = await scope.UnitsAsync(Caller.From(http), ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        long total = 0;
        var items = await connection.QueryAsync(null, """
            SELECT dossier_code, channel, recipient_masked, template, status, attempts, created_at, sent_at,
                   count(*) OVER () AS total, next_attempt_at, last_error
            FROM deliveries WHERE dossier_code = @dossierCode AND (@units::uuid[] IS NULL OR unit_id = ANY(@units))
            ORDER BY created_at, id LIMIT @pageSize OFFSET @offset
            """, new
        {
            dossierCode, pageSize = paging.PageSize, offset = paging.Offset,
            units = Rows.Typed(units, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid),
        }, row =>
        {
            total = row.Get<long>("total");
            var status = row.Get<string>("status");
            return new Delivery(row.Get<string>("dossier_code"), row.Get<string>("channel"), row.Get<string>("recipient_masked"),
                row.Get<string>("template"), status, row.Get<int>("attempts"), row.Get<DateTimeOffset>("created_at"),
                row.Get<DateTimeOffset?>("sent_at"), status == "pending" ? row.Get<DateTimeOffset?>("next_attempt_at") : null,
                row.Get<string?>("last_error"));
        }, ct);
        // Nothing among the caller's units reads the same as a dossier that does not exist.
        return total == 0 && paging.Page == 1
            ? Problems.NotFound($"No deliveries for {dossierCode} among your units.")
            : Results.Ok(new PagedList<Delivery>(items, paging.Page, paging.PageSize, total));
    }
}
