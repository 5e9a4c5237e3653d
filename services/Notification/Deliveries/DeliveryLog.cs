using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
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

        await using var command = dataSource.CreateCommand("""
            SELECT dossier_code, channel, recipient_masked, template, status, attempts, created_at, sent_at,
                   count(*) OVER (), next_attempt_at, last_error
            FROM deliveries WHERE dossier_code = $1 AND ($4::uuid[] IS NULL OR unit_id = ANY($4))
            ORDER BY created_at, id LIMIT $2 OFFSET $3
            """);
        command.Parameters.AddWithValue(dossierCode);
        command.Parameters.AddWithValue(paging.PageSize);
        command.Parameters.AddWithValue(paging.Offset);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)await scope.UnitsAsync(Caller.From(http), ct) ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid });
        var items = new List<Delivery>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new Delivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(9) || reader.GetString(4) != "pending" ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
            total = reader.GetInt64(8);
        }
        // Nothing among the caller's units reads the same as a dossier that does not exist.
        return total == 0 && paging.Page == 1
            ? Problems.NotFound($"No deliveries for {dossierCode} among your units.")
            : Results.Ok(new PagedList<Delivery>(items, paging.Page, paging.PageSize, total));
    }
}
