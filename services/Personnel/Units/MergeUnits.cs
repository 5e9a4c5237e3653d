using MotCua.Personnel.Accounts;
using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary>
/// <c>POST /api/units/merge</c> (sáp nhập): on <c>effectiveOn</c> the sources close, the new unit opens,
/// and the officials posted in the sources move to it. Postings before the date stay where they were,
/// so reports about the past do not change.
/// </summary>
public static class MergeUnits
{
    public sealed record MergeRequest(List<Guid>? SourceIds, RegisterUnit.UnitRequest? Into, DateOnly? EffectiveOn);

    public sealed record MergeResult(Unit Unit, IReadOnlyList<Guid> ClosedUnitIds, IReadOnlyList<Guid> MovedOfficialIds);

    public static void MapMergeUnits(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/units/merge", Merge).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Merge(
        MergeRequest? request, HttpContext http, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        var sources = request.SourceIds?.Distinct().ToArray() ?? [];
        if (sources.Length < 2) errors.Add("sourceIds", "At least two distinct units to merge.");
        Reorganisation.ValidateEffectiveOn(request.EffectiveOn, errors);
        if (request.Into is null) errors.Add("into", "Required: the new unit's code, name, type and parentId.");
        else RegisterUnit.Validate(request.Into, "into.", errors);
        if (errors.Any) return errors.ToResult();
        var effectiveOn = request.EffectiveOn!.Value;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Serialise merges: two merges racing over the same sources must not both close them.
        await connection.ExecuteAsync(tx, "SELECT id FROM units WHERE id = ANY($1) FOR UPDATE", ct, sources);

        var provinces = new HashSet<Guid>();
        var sourceSubtrees = new HashSet<Guid>();
        var allProvinces = true;
        foreach (var id in sources)
        {
            var source = await Unit.FindAsync(connection, tx, id, ct);
            if (source is null) return errors.Add("sourceIds", $"No unit {id}.").ToResult();
            if (source.ValidTo is not null || !source.IsOpenOn(effectiveOn))
                return errors.Add("sourceIds", $"{source.Code} is already closed or not open on {effectiveOn:yyyy-MM-dd}.").ToConflict();
            allProvinces &= source.Type == "province";
            provinces.Add(await UnitTree.ProvinceOfAsync(connection, tx, id, ct));
            sourceSubtrees.UnionWith(await UnitTree.SubtreeAsync(connection, tx, id, ct));
        }
        // Provinces themselves may merge (as 63 became 34 in 2025); anything below must stay in its province.
        if (allProvinces && request.Into!.Type != "province")
            return errors.Add("into.type", "Provinces merge into a province.").ToResult();
        if (!allProvinces && provinces.Count > 1)
            return errors.Add("sourceIds", "Units of different provinces cannot be merged.").ToResult();
        if (request.Into!.ParentId is { } parentId)
        {
            if (sourceSubtrees.Contains(parentId))
                return errors.Add("into.parentId", "The new unit cannot sit under a unit it replaces (that would be a cycle).").ToResult();
            if (await Unit.FindAsync(connection, tx, parentId, ct) is not null
                && await UnitTree.ProvinceOfAsync(connection, tx, parentId, ct) != provinces.Single())
                return errors.Add("into.parentId", "The new unit must stay in the sources' province.").ToResult();
        }

        var (unit, refusal) = await RegisterUnit.InsertAsync(connection, tx, request.Into, effectiveOn, time, ct, "into.");
        if (refusal is not null) return refusal;

        await connection.ExecuteAsync(tx, "UPDATE units SET valid_to = $2, merged_into = $3 WHERE id = ANY($1)",
            ct, sources, effectiveOn, unit!.Id);
        var moved = await Reorganisation.MoveOfficialsAsync(connection, tx, sources, unit.Id, effectiveOn, ct);
        await AccessChange.RaiseForOfficialsAsync(connection, tx, moved.ToArray(), time, ct);
        foreach (var source in sources)
            await UnitHistory.RecordAsync(connection, tx, source, "merge", effectiveOn, new { intoId = unit.Id, intoCode = unit.Code }, http, time, ct);
        await UnitHistory.RecordAsync(connection, tx, unit.Id, "merge", effectiveOn, new { sourceIds = sources }, http, time, ct);
        await Outbox.EnqueueAsync(connection, tx,
            new UnitsMerged(Guid.NewGuid(), time.GetUtcNow(), sources, unit.Id, effectiveOn, moved), ct);
        await tx.CommitAsync(ct);
        return Results.Created($"/api/units/{unit.Id}", new MergeResult(unit, sources, moved));
    }
}
