using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary>
/// <c>POST /api/units/{id}/move</c> (điều chỉnh địa giới): the unit goes under another parent of its province from
/// <c>effectiveOn</c>, as the communes went straight under their province when districts were abolished in 2025. It
/// keeps its id, officials and dossiers. Dated ahead, the move is recorded now and applied on its date by
/// <see cref="DueUnitChanges"/>, which checks the rules again then.
/// </summary>
public static class MoveUnit
{
    public sealed record MoveRequest(Guid? ParentId, DateOnly? EffectiveOn);

    /// <summary>What a move records, and what <see cref="DueUnitChanges"/> reads back on its date.</summary>
    public sealed record Details(Guid ParentId, Guid? PreviousParentId);

    public sealed record MoveResult(Unit Unit, DateOnly EffectiveOn, bool Pending);

    public static void MapMoveUnit(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/units/{id:guid}/move", Move).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Move(
        Guid id, MoveRequest? request, HttpContext http, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        if (request.ParentId is null) errors.Add("parentId", "Required: the unit to move under.");
        Reorganisation.ValidateEffectiveOn(request.EffectiveOn, errors);
        if (errors.Any) return errors.ToResult();
        var effectiveOn = request.EffectiveOn!.Value;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unit = await Unit.LockAsync(connection, tx, id, ct);
        if (unit is null) return Problems.NotFound($"No unit {id}.");
        var details = new Details(request.ParentId!.Value, unit.ParentId);
        if (await CheckAsync(connection, tx, unit, details.ParentId, effectiveOn, ct) is { } refusal) return refusal.ToResult();

        var pending = effectiveOn > VietnamTime.Today(time);
        await UnitHistory.RecordAsync(connection, tx, id, "move", effectiveOn, details, http, time, ct, pending);
        if (!pending) await ApplyAsync(connection, tx, unit, details, effectiveOn, time, ct);
        await tx.CommitAsync(ct);
        return Results.Ok(new MoveResult((await Unit.FindAsync(connection, null, id, ct))!, effectiveOn, pending));
    }

    /// <summary>The rules, checked when the move is recorded and again when it applies.</summary>
    private static async Task<Refusal?> CheckAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Unit unit, Guid parentId, DateOnly effectiveOn, CancellationToken ct)
    {
        // Moves take their turn: two racing could otherwise each miss the cycle the other makes.
        await connection.ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(hashtext('motcua.unit-moves'))", ct);
        if (unit.ValidTo is { } closed)
            return new Refusal("id", $"{unit.Code} closes on {closed:yyyy-MM-dd}; a closed unit stays where it was.", true);
        if (unit.Type == "province") return new Refusal("parentId", "A province has no parent.");
        var parent = await Unit.FindAsync(connection, tx, parentId, ct);
        if (parent is null) return new Refusal("parentId", "No such unit.");
        if (parent.Type == UnitTypes.Agency) return new Refusal("parentId", "A unit is attached to a territorial unit, not to an agency.");
        if ((await UnitTree.SubtreeAsync(connection, tx, unit.Id, ct)).Contains(parentId))
            return new Refusal("parentId", $"{parent.Code} is {unit.Code} itself or lies under it: a unit cannot move under its own descendant (that would be a cycle).");
        if (await UnitTree.ProvinceOfAsync(connection, tx, parentId, ct) != await UnitTree.ProvinceOfAsync(connection, tx, unit.Id, ct))
            return new Refusal("parentId", "A unit moves within its province; across provinces, merge or split instead.");
        if (!parent.IsOpenOn(effectiveOn) || parent.ValidTo is not null)
            return new Refusal("parentId", $"{parent.Code} is not open on {effectiveOn:yyyy-MM-dd} or is closing.", true);
        if (unit.ParentId == parentId) return new Refusal("parentId", $"{unit.Code} is already under {parent.Code}.", true);
        return null;
    }

    /// <summary>Moves the unit and announces it; a refusal (the rules no longer hold on the date) writes nothing.</summary>
    public static async Task<Refusal?> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Unit unit, Details details, DateOnly effectiveOn, TimeProvider time, CancellationToken ct)
    {
        if (await CheckAsync(connection, tx, unit, details.ParentId, effectiveOn, ct) is { } refusal) return refusal;
        await connection.ExecuteAsync(tx, "UPDATE units SET parent_id = $2 WHERE id = $1", ct, unit.Id, details.ParentId);
        await Outbox.EnqueueAsync(connection, tx,
            new UnitMoved(Guid.NewGuid(), time.GetUtcNow(), unit.Id, details.ParentId, unit.ParentId, effectiveOn), ct);
        return null;
    }
}
