using System.Text.Json;

namespace MotCua.Personnel.Units;

/// <summary>
/// <c>GET /api/units/{id}/history</c>: a unit's reorganisations (tổ chức lại) in date order: each change's kind (rename,
/// move, dissolve, split, merge), the date it takes effect, what changed, when and by whom it was recorded, and when it
/// was applied (a rename or move dated ahead waits for its date; a closing answers by its date from the start).
/// </summary>
public static class UnitHistory
{
    public sealed record Change(
        Guid Id, string Kind, DateOnly EffectiveOn, JsonElement Details, DateTimeOffset RecordedAt, string RecordedBy, DateTimeOffset? AppliedAt);

    public static void MapUnitHistory(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/units/{id:guid}/history", Get).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Get(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await Unit.FindAsync(connection, null, id, ct) is null) return Problems.NotFound($"No unit {id}.");
        var changes = await connection.ListAsync(null, """
            SELECT id, kind, effective_on, details::text, recorded_at, recorded_by, applied_at FROM unit_changes
            WHERE unit_id = $1 ORDER BY effective_on, recorded_at, id
            """, r => new Change(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), JsonDocument.Parse(r.GetString(3)).RootElement,
                r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.Nullable<DateTimeOffset>(6)), ct, id);
        return Results.Ok(new { unitId = id, changes });
    }

    /// <summary>
    /// Records a change in the caller's transaction. Applied unless <paramref name="pending"/> (a rename or move dated
    /// ahead, which <see cref="DueUnitChanges"/> applies on its date). Returns the change's id.
    /// </summary>
    public static async Task<Guid> RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid unitId, string kind, DateOnly effectiveOn, object details, HttpContext http,
        TimeProvider time, CancellationToken ct, bool pending = false)
    {
        var id = Guid.NewGuid();
        var now = time.GetUtcNow();
        var caller = Caller.From(http);
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_changes (id, unit_id, kind, effective_on, details, recorded_at, recorded_by, applied_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
            """, ct, id, unitId, kind, effectiveOn, JsonSerializer.Serialize(details, JsonSerializerOptions.Web), now,
            caller.Name.Length > 0 ? caller.Name : caller.Id.ToString(), pending ? null : now);
        return id;
    }
}
