using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary>
/// Địa bàn phục vụ: the territorial units an agency serves, set at registration or with <c>PUT /api/units/{id}/serves
/// { serves: [unitId] }</c> (admin). A province decides which land office serves which communes; an agency with none
/// listed serves the subtree of the unit it is attached to.
/// </summary>
public static class AgencyServiceArea
{
    public sealed record ServesRequest(List<Guid>? Serves);

    public static void MapAgencyServiceArea(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/units/{id:guid}/serves", Set).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Set(Guid id, ServesRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request?.Serves is null) return errors.Add("serves", "Required: the units the agency serves (an empty list: its parent's subtree).").ToResult();
        if (request.Serves.Count > 500) return errors.Add("serves", "At most 500 units.").ToResult();
        var serves = request.Serves.Distinct().ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var agency = await Unit.FindAsync(connection, tx, id, ct);
        if (agency is null) return Problems.NotFound($"No unit {id}.");
        if (agency.Type != UnitTypes.Agency) return errors.Add("serves", "Only an agency serves other units.").ToResult();
        if (await RefusalAsync(connection, tx, serves, agency.ParentId, "serves", ct) is { } refusal) return refusal;
        await connection.ExecuteAsync(tx, "DELETE FROM agency_service_areas WHERE agency_id = $1", ct, id);
        await StoreAsync(connection, tx, id, serves, ct);
        await Outbox.EnqueueAsync(connection, tx, new AgencyServiceAreaSet(Guid.NewGuid(), time.GetUtcNow(), id, serves), ct);
        await tx.CommitAsync(ct);
        return Results.Ok(new { agencyId = id, serves });
    }

    /// <summary>The served units must be territorial units of the agency's own province.</summary>
    public static async Task<IResult?> RefusalAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] serves, Guid? parentId, string field, CancellationToken ct)
    {
        if (serves.Length == 0) return null;
        var found = await connection.ListAsync(tx, "SELECT id, type FROM units WHERE id = ANY($1)", r => (Id: r.GetGuid(0), Type: r.GetString(1)), ct, serves);
        if (serves.FirstOrDefault(s => found.All(f => f.Id != s)) is var missing && missing != Guid.Empty)
            return new FieldErrors().Add(field, $"No unit {missing}.").ToResult();
        if (found.FirstOrDefault(f => f.Type == UnitTypes.Agency) is { Id: var agency } && agency != Guid.Empty)
            return new FieldErrors().Add(field, $"{agency} is an agency; an agency serves territorial units.").ToResult();
        if (parentId is not { } parent) return null;
        var province = await UnitTree.ProvinceOfAsync(connection, tx, parent, ct);
        foreach (var unit in serves)
            if (await UnitTree.ProvinceOfAsync(connection, tx, unit, ct) != province)
                return new FieldErrors().Add(field, $"{unit} is in another province than the agency.").ToResult();
        return null;
    }

    public static Task StoreAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid agency, Guid[] serves, CancellationToken ct) =>
        serves.Length == 0
            ? Task.CompletedTask
            : connection.ExecuteAsync(tx, "INSERT INTO agency_service_areas (agency_id, unit_id) SELECT $1, unnest($2::uuid[])", ct, agency, serves);
}
