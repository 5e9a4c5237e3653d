using MotCua.Personnel.Standards;
using MotCua.Personnel.Units;

namespace MotCua.Personnel.Officials;

/// <summary>
/// <c>GET /api/officials/{id}</c> (with postings, trainings and the standard) and <c>GET /api/officials?unitId=&amp;descendants=</c>;
/// contacts as the caller may see them (<see cref="OfficialContacts.AsSeenBy"/>).
/// </summary>
public static class OfficialQueries
{
    public sealed record Training(Guid Id, string Course, string Kind, DateOnly CompletedOn);

    public sealed record OfficialDetail(
        Official Official, bool MeetsStandard, string? Username, IReadOnlyList<Posting> Postings, IReadOnlyList<Training> Trainings);

    public static void MapOfficialQueries(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/officials/{id:guid}", Get);
        app.MapGet("/api/officials", List);
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var official = await Official.FindAsync(connection, null, id, VietnamTime.Today(time), ct);
        if (official is null || !await scope.CoversAsync(http, official.UnitId ?? Guid.Empty)) return Problems.NotFound($"No official {id}.");
        var rules = await StandardRuleSet.LoadAsync(connection, null, ct);
        var username = await connection.ScalarAsync<string>(null, "SELECT username FROM accounts WHERE official_id = $1", ct, id);
        var trainings = await connection.ListAsync(null,
            "SELECT id, course, kind, completed_on FROM trainings WHERE official_id = $1 ORDER BY completed_on",
            r => new Training(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateOnly>(3)), ct, id);
        return Results.Ok(new OfficialDetail(official.AsSeenBy(Caller.From(http)), rules.Meets(official), username,
            await Official.PostingsAsync(connection, null, id, ct), trainings));
    }

    private static async Task<IResult> List(
        HttpContext http, Guid? unitId, bool? descendants, DateOnly? asOf, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var paging = Paging.From(http.Request, errors);
        if (unitId is null) errors.Add("unitId", "Required.");
        if (errors.Any) return errors.ToResult();
        var day = asOf ?? VietnamTime.Today(time);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await Unit.FindAsync(connection, null, unitId!.Value, ct) is null || !await scope.CoversAsync(http, unitId.Value))
            return Problems.NotFound($"No unit {unitId}.");
        var units = descendants == true ? [.. await UnitTree.SubtreeAsync(connection, null, unitId.Value, ct)] : new[] { unitId.Value };
        var rows = await connection.ListAsync(null, $"""
            SELECT {Official.Columns}, p.unit_id, count(*) OVER ()
            {Official.PostedOn}
            WHERE p.unit_id = ANY($2)
            ORDER BY o.full_name, o.id LIMIT $3 OFFSET $4
            """, r => (Official: Official.Read(r, r.GetGuid(Official.Width)), Total: r.GetInt64(Official.Width + 1)), ct, day, units, paging.PageSize, paging.Offset);
        var caller = Caller.From(http);
        return Results.Ok(new PagedList<Official>(rows.Select(r => r.Official.AsSeenBy(caller)).ToList(), paging.Page, paging.PageSize,
            rows.FirstOrDefault().Total));
    }
}
