namespace MotCua.Dossier.Lateness;

/// <summary>
/// A province's choice for the apologies of its units (chính sách xin lỗi): the platform issues them itself in the window
/// (<c>issue</c>, the default), or drafts each for a leader of the unit at fault to sign (<c>draft</c>). Set on any unit, it
/// holds for its subtree until a unit below sets its own. <c>PUT /api/apology-policies/{unitId}</c> (admin) and
/// <c>GET /api/apology-policies/{unitId}</c> (what holds for the unit, and where it is set).
/// </summary>
public static class ApologyPolicy
{
    public const string Issue = "issue";
    public const string Draft = "draft";

    public sealed record Setting(string? Mode);

    public static void MapApologyPolicy(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/apology-policies/{unitId:guid}", Set).RequireAuthorization(Policies.Admin);
        app.MapGet("/api/apology-policies/{unitId:guid}", Get);
    }

    private static async Task<IResult> Set(Guid unitId, Setting? setting, HttpContext http, NpgsqlDataSource dataSource, TimeProvider time,
        CancellationToken ct)
    {
        if (setting?.Mode is not (Issue or Draft))
            return new FieldErrors().Add("mode", "Chọn \"issue\" (hệ thống tự ban hành thư xin lỗi) hoặc \"draft\" (soạn dự thảo để lãnh đạo ký).").ToResult();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await ServiceAreas.FindAsync(connection, null, unitId, ct) is null)
            return new FieldErrors().Add("unitId", "Không có đơn vị này trong danh mục.").ToResult();
        var now = time.GetUtcNow().ToDatabasePrecision();
        await connection.ExecuteAsync(null, """
            INSERT INTO apology_policies (unit_id, mode, changed_at, changed_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (unit_id) DO UPDATE SET mode = $2, changed_at = $3, changed_by = $4
            """, ct, unitId, setting.Mode, now, Caller.From(http).Id);
        return Results.Ok(new { unitId, mode = setting.Mode, setOn = unitId, changedAt = now });
    }

    private static async Task<IResult> Get(Guid unitId, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await ServiceAreas.FindAsync(connection, null, unitId, ct) is null) return Problems.NotFound($"Không có đơn vị {unitId}.");
        var (mode, setOn) = (await OfAsync(connection, null, [unitId], ct)).GetValueOrDefault(unitId, (Issue, null));
        return Results.Ok(new { unitId, mode, setOn });
    }

    /// <summary>What holds for each unit: the nearest setting on it or above it, or <c>issue</c> with nothing set.</summary>
    public static async Task<Dictionary<Guid, (string Mode, Guid? SetOn)>> OfAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, IReadOnlyCollection<Guid> units, CancellationToken ct)
    {
        if (units.Count == 0) return [];
        return (await connection.ListAsync(tx, """
            WITH RECURSIVE up AS (
                SELECT u.id AS unit, u.id, u.parent_id, 0 AS depth FROM unit_directory u WHERE u.id = ANY($1)
                UNION ALL
                SELECT up.unit, p.id, p.parent_id, up.depth + 1 FROM up JOIN unit_directory p ON p.id = up.parent_id WHERE up.depth < 16
            )
            SELECT DISTINCT ON (up.unit) up.unit, a.mode, a.unit_id FROM up JOIN apology_policies a ON a.unit_id = up.id
            ORDER BY up.unit, up.depth
            """, r => (r.GetGuid(0), r.GetString(1), r.GetGuid(2)), ct, units.ToArray()))
            .ToDictionary(p => p.Item1, p => (p.Item2, (Guid?)p.Item3));
    }
}
