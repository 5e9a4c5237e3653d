using MotCua.Contracts;
using MotCua.Personnel.Accounts;

namespace MotCua.Personnel.Units;

/// <summary>
/// <c>POST /api/units/{id}/dissolve</c> (giải thể): the unit closes on <c>effectiveOn</c>. With a successor, the successor
/// answers for it from that date as after a merge (<c>merged_into</c>), and its officials are posted there. Without one,
/// nothing may be left in it: no official posted and no open unit under it (transfer or move them first).
/// Dossiers still open at the unit live in the Dossier service, which Personnel cannot see; from the date, the Dossier
/// service refuses new ones there.
/// </summary>
public static class DissolveUnit
{
    public sealed record DissolveRequest(Guid? SuccessorId, DateOnly? EffectiveOn);

    public sealed record DissolveResult(Unit Unit, Guid? SuccessorId, IReadOnlyList<Guid> MovedOfficialIds);

    public static void MapDissolveUnit(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/units/{id:guid}/dissolve", Dissolve).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Dissolve(
        Guid id, DissolveRequest? request, HttpContext http, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        Reorganisation.ValidateEffectiveOn(request.EffectiveOn, errors);
        if (request.SuccessorId == id) errors.Add("successorId", "A unit cannot succeed itself.");
        if (errors.Any) return errors.ToResult();
        var effectiveOn = request.EffectiveOn!.Value;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unit = await Unit.LockAsync(connection, tx, id, ct);
        if (unit is null) return Problems.NotFound($"No unit {id}.");
        if (unit.ValidTo is not null || !unit.IsOpenOn(effectiveOn))
            return errors.Add("id", $"{unit.Code} is already closed or not open on {effectiveOn:yyyy-MM-dd}.").ToConflict();

        if (request.SuccessorId is { } successorId)
        {
            var successor = await Unit.FindAsync(connection, tx, successorId, ct);
            if (successor is null) return errors.Add("successorId", "No such unit.").ToResult();
            if ((await UnitTree.SubtreeAsync(connection, tx, id, ct)).Contains(successorId))
                return errors.Add("successorId", $"{successor.Code} lies under {unit.Code}, which it would replace (that would be a cycle).").ToResult();
            if ((unit.Type == UnitTypes.Agency) != (successor.Type == UnitTypes.Agency))
                return errors.Add("successorId", "An agency is succeeded by an agency; a territorial unit by a territorial unit.").ToResult();
            if ((unit.Type == "province") != (successor.Type == "province")
                || unit.Type != "province"
                && await UnitTree.ProvinceOfAsync(connection, tx, successorId, ct) != await UnitTree.ProvinceOfAsync(connection, tx, id, ct))
                return errors.Add("successorId", "A province is succeeded by a province; any other unit by one of its own province.").ToResult();
            if (!successor.IsOpenOn(effectiveOn) || successor.ValidTo is not null)
                return errors.Add("successorId", $"{successor.Code} is not open on {effectiveOn:yyyy-MM-dd} or is closing.").ToConflict();
        }
        else
        {
            var posted = await Reorganisation.PostedFromAsync(connection, tx, id, effectiveOn, ct);
            if (posted.Count > 0)
                return errors.Add("successorId",
                    $"{posted.Count} official(s) are posted in {unit.Code} on or after {effectiveOn:yyyy-MM-dd}: transfer them first, or name a successor to take them.").ToConflict();
            var open = await OpenDossiers.AtAsync(connection, tx, id, ct);
            if (open > 0)
                return errors.Add("successorId",
                    $"{open} dossier(s) received at {unit.Code} are still open: name a successor to take them over, or dissolve once they are settled.").ToConflict();
            var children = await Reorganisation.ChildrenFromAsync(connection, tx, id, effectiveOn, ct);
            if (children.Count > 0)
                return errors.Add("successorId",
                    $"Units still under {unit.Code}: {string.Join(", ", children)}; move or dissolve them first, or name a successor.").ToConflict();
        }

        await connection.ExecuteAsync(tx, "UPDATE units SET valid_to = $2, merged_into = $3 WHERE id = $1", ct, id, effectiveOn, request.SuccessorId);
        var moved = request.SuccessorId is { } into ? await Reorganisation.MoveOfficialsAsync(connection, tx, [id], into, effectiveOn, ct) : [];
        await AccessChange.RaiseForOfficialsAsync(connection, tx, [.. moved], time, ct);
        await UnitHistory.RecordAsync(connection, tx, id, "dissolve", effectiveOn, new { successorId = request.SuccessorId, movedOfficialIds = moved }, http, time, ct);
        await Outbox.EnqueueAsync(connection, tx,
            new UnitDissolved(Guid.NewGuid(), time.GetUtcNow(), id, request.SuccessorId, effectiveOn, moved), ct);
        await tx.CommitAsync(ct);
        return Results.Ok(new DissolveResult((await Unit.FindAsync(connection, null, id, ct))!, request.SuccessorId, moved));
    }
}
