
namespace MotCua.Personnel.Units;

/// <summary>
/// <c>GET /api/units/{id}</c> and <c>GET /api/units?parentId=&amp;descendants=true&amp;asOf=&amp;includeClosed=&amp;type=</c>:
/// by default the units open on <c>asOf</c> (today), so a merge dated in the future shows from its date; <c>type</c> (comma
/// separated) keeps the territorial units apart from the agencies attached to them.
/// </summary>
public static class UnitQueries
{
    public static void MapUnitQueries(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/units/{id:guid}", async (Guid id, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await Unit.FindAsync(connection, null, id, ct) is { } unit && await scope.CoversAsync(http, id)
                ? Results.Ok(unit)
                : Problems.NotFound($"No unit {id}.");
        });
        app.MapGet("/api/units", List);
    }

    private static async Task<IResult> List(
        HttpContext http, Guid? parentId, bool? descendants, bool? includeClosed, DateOnly? asOf, string? type, NpgsqlDataSource dataSource,
        UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var paging = Paging.From(http.Request, errors);
        var types = type?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (types.FirstOrDefault(t => !Unit.Types.Contains(t)) is { } unknown)
            errors.Add("type", $"'{unknown[..Math.Min(unknown.Length, 40)]}' is not a unit type; one or more of: {string.Join(", ", Unit.Types)}.");
        if (errors.Any) return errors.ToResult();
        // Below the top, a caller's list starts at their own unit.
        var caller = Caller.From(http);
        if (parentId is null && !caller.IsAdmin) parentId = caller.UnitId ?? Guid.Empty;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (parentId is { } parent && (await Unit.FindAsync(connection, null, parent, ct) is null || !await scope.CoversAsync(caller, parent, ct)))
            return Problems.NotFound($"No unit {parent}.");

        var subtree = (parentId, descendants ?? false) switch
        {
            (null, false) => "WITH subtree AS (SELECT id FROM units WHERE parent_id IS NULL) ",
            (null, true) => "WITH subtree AS (SELECT id FROM units) ",
            (_, false) => "WITH subtree AS (SELECT id FROM units WHERE parent_id = $1 OR merged_into = $1) ",
            (_, true) => UnitTree.SubtreeSql + ", below AS (SELECT id FROM subtree WHERE id <> $1) ",
        };
        var from = parentId is not null && descendants == true ? "below" : "subtree";
        var open = includeClosed == true ? "" : "AND u.valid_from <= $4 AND (u.valid_to IS NULL OR u.valid_to > $4)";
        var items = await connection.ListAsync(null, $"""
            {subtree}
            SELECT {string.Join(", ", Unit.Columns.Split(", ").Select(c => "u." + c))}, count(*) OVER ()
            FROM units u JOIN {from} s ON s.id = u.id
            WHERE true {open} {(types.Length > 0 ? "AND u.type = ANY($5)" : "")}
            ORDER BY u.type, u.code LIMIT $2 OFFSET $3
            """, r => (Unit: Unit.Read(r), Total: r.GetInt64(10)), ct, parentId ?? Guid.Empty, paging.PageSize, paging.Offset, asOf ?? VietnamTime.Today(time), types);
        return Results.Ok(new PagedList<Unit>(
            items.Select(i => i.Unit).ToList(), paging.Page, paging.PageSize, items.FirstOrDefault().Total));
    }
}
