using MotCua.Contracts;
using MotCua.Personnel.Accounts;

namespace MotCua.Personnel.Units;

/// <summary>
/// <c>POST /api/units/split</c> (chia tách): on <c>effectiveOn</c> the source closes and two or more new units open, and
/// each official posted in the source goes to the part the request names for them. The source's past stays with it;
/// the units under it must have been moved first, since no single part could answer for them.
/// </summary>
public static class SplitUnit
{
    public sealed record SplitRequest(
        Guid? SourceId, List<RegisterUnit.UnitRequest?>? Into, Dictionary<string, string?>? Officials, DateOnly? EffectiveOn);

    public sealed record SplitResult(Guid SourceId, IReadOnlyList<Unit> Units, IReadOnlyList<SplitPosting> Postings);

    public static void MapSplitUnit(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/units/split", Split).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Split(
        SplitRequest? request, HttpContext http, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        if (request.SourceId is null) errors.Add("sourceId", "Required: the unit to split.");
        Reorganisation.ValidateEffectiveOn(request.EffectiveOn, errors);
        var into = request.Into ?? [];
        if (into.Count < 2) errors.Add("into", "At least two new units: a unit split into one is a rename.");
        for (var i = 0; i < into.Count; i++)
        {
            if (into[i] is not { } part) errors.Add($"into[{i}]", "Required: the new unit's code, name, type and parentId.");
            else RegisterUnit.Validate(part, $"into[{i}].", errors);
        }
        var codes = into.Select(u => u?.Code?.Trim()).ToList();
        for (var i = 0; i < codes.Count; i++)
            if (codes[i] is not null && codes.IndexOf(codes[i]) < i) errors.Add($"into[{i}].code", $"{codes[i]} is given twice.");
        var officials = new Dictionary<Guid, string>();
        foreach (var (key, code) in request.Officials ?? [])
        {
            if (!Guid.TryParse(key, out var official)) errors.Add($"officials.{key}", "An official's id.");
            else if (code is null || !codes.Contains(code.Trim()))
                errors.Add($"officials.{key}", $"{code ?? "null"} is not the code of one of the new units.");
            else officials[official] = code.Trim();
        }
        if (errors.Any) return errors.ToResult();
        var sourceId = request.SourceId!.Value;
        var effectiveOn = request.EffectiveOn!.Value;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Like a merge: two closings racing over the source must not both close it.
        await connection.ExecuteAsync(tx, "SELECT id FROM units WHERE id = $1 FOR UPDATE", ct, sourceId);
        var source = await Unit.FindAsync(connection, tx, sourceId, ct);
        if (source is null) return errors.Add("sourceId", $"No unit {sourceId}.").ToResult();
        if (source.ValidTo is not null || !source.IsOpenOn(effectiveOn))
            return errors.Add("sourceId", $"{source.Code} is already closed or not open on {effectiveOn:yyyy-MM-dd}.").ToConflict();
        var children = await Reorganisation.ChildrenFromAsync(connection, tx, sourceId, effectiveOn, ct);
        if (children.Count > 0)
            return errors.Add("sourceId", $"Units still under {source.Code}: {string.Join(", ", children)}; move them to the parts first.").ToConflict();

        var province = await UnitTree.ProvinceOfAsync(connection, tx, sourceId, ct);
        var sourceSubtree = await UnitTree.SubtreeAsync(connection, tx, sourceId, ct);
        for (var i = 0; i < into.Count; i++)
        {
            var part = into[i]!;
            if ((source.Type == "province") != (part.Type == "province"))
                return errors.Add($"into[{i}].type", "A province splits into provinces; any other unit into units below a province.").ToResult();
            if (part.ParentId is not { } parentId) continue;
            if (sourceSubtree.Contains(parentId))
                return errors.Add($"into[{i}].parentId", "A new unit cannot sit under the unit it replaces.").ToResult();
            if (await Unit.FindAsync(connection, tx, parentId, ct) is not null
                && await UnitTree.ProvinceOfAsync(connection, tx, parentId, ct) != province)
                return errors.Add($"into[{i}].parentId", "The new units stay in the source's province.").ToResult();
        }

        // Every official posted in the source on or after the date goes to a part the request names, and only they.
        var posted = await Reorganisation.PostedFromAsync(connection, tx, sourceId, effectiveOn, ct);
        foreach (var official in posted.Where(o => !officials.ContainsKey(o)))
            errors.Add($"officials.{official}", $"Posted in {source.Code}: name the new unit (by code) this official goes to.");
        foreach (var official in officials.Keys.Where(o => !posted.Contains(o)))
            errors.Add($"officials.{official}", $"Not posted in {source.Code} on or after {effectiveOn:yyyy-MM-dd}.");
        if (posted.Count > 0 && errors.Any) errors.Add("officials", $"Map each of the {posted.Count} official(s) posted in {source.Code} to one new unit's code.");
        if (errors.Any) return errors.ToResult();

        var units = new List<Unit>();
        for (var i = 0; i < into.Count; i++)
        {
            var (unit, refusal) = await RegisterUnit.InsertAsync(connection, tx, into[i]! with { ValidFrom = effectiveOn }, effectiveOn, time, ct, $"into[{i}].");
            if (refusal is not null) return refusal;
            units.Add(unit!);
        }
        await connection.ExecuteAsync(tx, "UPDATE units SET valid_to = $2 WHERE id = $1", ct, sourceId, effectiveOn);
        var postings = new List<SplitPosting>();
        foreach (var part in units)
        {
            var going = officials.Where(o => o.Value == part.Code).Select(o => o.Key).ToArray();
            if (going.Length == 0) continue;
            var moved = await Reorganisation.MoveOfficialsAsync(connection, tx, [sourceId], part.Id, effectiveOn, ct, going);
            postings.AddRange(moved.Select(o => new SplitPosting(o, part.Id)));
        }
        await AccessChange.RaiseForOfficialsAsync(connection, tx, [.. postings.Select(p => p.OfficialId)], time, ct);
        var parts = units.Select(u => new { id = u.Id, code = u.Code, name = u.Name }).ToList();
        await UnitHistory.RecordAsync(connection, tx, sourceId, "split", effectiveOn, new { into = parts, postings }, http, time, ct);
        foreach (var unit in units)
            await UnitHistory.RecordAsync(connection, tx, unit.Id, "split", effectiveOn, new { sourceId, sourceCode = source.Code }, http, time, ct);
        await Outbox.EnqueueAsync(connection, tx,
            new UnitSplit(Guid.NewGuid(), time.GetUtcNow(), sourceId, [.. units.Select(u => u.Id)], effectiveOn, postings), ct);
        await tx.CommitAsync(ct);
        return Results.Created($"/api/units/{units[0].Id}", new SplitResult(sourceId, units, postings));
    }
}
