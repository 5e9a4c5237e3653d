using MotCua.Personnel.Accounts;
using MotCua.Contracts;
using MotCua.Personnel.Units;

namespace MotCua.Personnel.Officials;

/// <summary>
/// <c>POST /api/officials/{id}/transfer</c> (điều động, luân chuyển): the posting open on the date closes
/// and one in the target unit opens. The official leaves their job position, which belongs to the old unit.
/// </summary>
public static class TransferOfficial
{
    public sealed record TransferRequest(Guid? ToUnitId, DateOnly? EffectiveOn);

    public static void MapTransferOfficial(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/officials/{id:guid}/transfer", Transfer).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Transfer(Guid id, TransferRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request?.ToUnitId is null) errors.Add("toUnitId", "Required.");
        if (request?.EffectiveOn is null) errors.Add("effectiveOn", "Required (YYYY-MM-DD).");
        else if (!RecordDates.Contains(request.EffectiveOn.Value)) errors.Add("effectiveOn", RecordDates.Range);
        if (errors.Any) return errors.ToResult();
        var day = request!.EffectiveOn!.Value;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var official = await Official.FindAsync(connection, tx, id, day, ct);
        if (official is null) return Problems.NotFound($"No official {id}.");
        if (official.Disabled) return Problems.Conflict("The official is disabled.");
        var target = await Unit.FindAsync(connection, tx, request.ToUnitId!.Value, ct);
        if (target is null) return errors.Add("toUnitId", "No such unit.").ToResult();
        if (!target.IsOpenOn(day) || target.ValidTo is not null && target.ValidTo <= day)
            return errors.Add("toUnitId", $"The unit is closed on {day:yyyy-MM-dd}.").ToConflict();

        var postings = await Official.PostingsAsync(connection, tx, id, ct);
        var current = postings.LastOrDefault(p => p.ValidFrom <= day && (p.ValidTo is null || p.ValidTo > day));
        if (current is null) return errors.Add("effectiveOn", "The official has no posting on that date.").ToConflict();
        if (current.UnitId == target.Id) return errors.Add("toUnitId", "The official already works there.").ToConflict();
        if (postings.Any(p => p.ValidFrom >= day))
            return errors.Add("effectiveOn", "A later transfer is already recorded; transfers are entered in date order.").ToConflict();

        await connection.ExecuteAsync(tx, "UPDATE postings SET valid_to = $3 WHERE official_id = $1 AND valid_from = $2",
            ct, id, current.ValidFrom, day);
        await connection.ExecuteAsync(tx, "INSERT INTO postings (official_id, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, $4)",
            ct, id, target.Id, day, current.ValidTo);
        await connection.ExecuteAsync(tx, "UPDATE officials SET position_id = NULL WHERE id = $1", ct, id);
        await AccessChange.RaiseForOfficialsAsync(connection, tx, [id], time, ct);
        await Outbox.EnqueueAsync(connection, tx,
            new OfficialTransferred(Guid.NewGuid(), time.GetUtcNow(), id, current.UnitId, target.Id, day), ct);
        await tx.CommitAsync(ct);
        return Results.Ok(await Official.PostingsAsync(connection, null, id, ct));
    }
}
