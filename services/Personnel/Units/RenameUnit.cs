using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary>
/// <c>POST /api/units/{id}/rename</c> (đổi tên): a new name, and a new code if given, from <c>effectiveOn</c>. A rename
/// dated today or earlier applies at once; one dated ahead is recorded now and applied on its date by
/// <see cref="DueUnitChanges"/>, and its code is kept for it meanwhile. The unit keeps its id, so its dossiers and
/// officials stay with it.
/// </summary>
public static class RenameUnit
{
    public sealed record RenameRequest(string? Name, string? Code, DateOnly? EffectiveOn);

    /// <summary>What a rename records, and what <see cref="DueUnitChanges"/> reads back on its date.</summary>
    public sealed record Details(string Name, string Code, string PreviousName, string PreviousCode);

    public sealed record RenameResult(Unit Unit, DateOnly EffectiveOn, bool Pending);

    public static void MapRenameUnit(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/units/{id:guid}/rename", Rename).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Rename(
        Guid id, RenameRequest? request, HttpContext http, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        errors.Require("name", request.Name, 200);
        if (request.Code is { } newCode)
        {
            errors.Require("code", newCode, 40);
            if (!RegisterUnit.CodePattern().IsMatch(newCode.Trim())) errors.Add("code", "Letters, digits, '.', '-' and '_' only.");
        }
        Reorganisation.ValidateEffectiveOn(request.EffectiveOn, errors);
        if (errors.Any) return errors.ToResult();
        var effectiveOn = request.EffectiveOn!.Value;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unit = await Unit.LockAsync(connection, tx, id, ct);
        if (unit is null) return Problems.NotFound($"No unit {id}.");
        var details = new Details(request.Name!.Trim(), request.Code?.Trim() ?? unit.Code, unit.Name, unit.Code);
        if (details.Name == unit.Name && details.Code == unit.Code)
            return errors.Add("name", "The unit already has this name and code.").ToConflict();
        if (await CheckAsync(connection, tx, unit, details, effectiveOn, ct) is { } refusal) return refusal.ToResult();

        var pending = effectiveOn > VietnamTime.Today(time);
        await UnitHistory.RecordAsync(connection, tx, id, "rename", effectiveOn, details, http, time, ct, pending);
        if (!pending) await ApplyAsync(connection, tx, unit, details, effectiveOn, time, ct);
        await tx.CommitAsync(ct);
        return Results.Ok(new RenameResult((await Unit.FindAsync(connection, null, id, ct))!, effectiveOn, pending));
    }

    /// <summary>
    /// The rules, checked when the rename is recorded and again when it applies: an open unit, and a code no other unit
    /// has or is waiting to take.
    /// </summary>
    private static async Task<Refusal?> CheckAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Unit unit, Details details, DateOnly effectiveOn, CancellationToken ct,
        Guid? applying = null)
    {
        if (unit.ValidTo is { } closed && closed <= effectiveOn)
            return new Refusal("id", $"{unit.Code} is closed from {closed:yyyy-MM-dd}; a closed unit keeps its last name.", true);
        if (details.Code == unit.Code) return null;
        if (await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM units WHERE code = $1 AND id <> $2", ct, details.Code, unit.Id) > 0)
            return new Refusal("code", $"A unit with code {details.Code} exists.", true);
        if (await connection.ScalarAsync<long>(tx, """
            SELECT count(*) FROM unit_changes
            WHERE kind = 'rename' AND applied_at IS NULL AND details->>'code' = $1 AND id IS DISTINCT FROM $2
            """, ct, details.Code, applying) > 0)
            return new Refusal("code", $"Code {details.Code} is kept for a rename still to take effect.", true);
        return null;
    }

    /// <summary>Renames the unit and announces it; a refusal (the rules no longer hold on the date) writes nothing.</summary>
    public static async Task<Refusal?> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Unit unit, Details details, DateOnly effectiveOn, TimeProvider time,
        CancellationToken ct, Guid? applying = null)
    {
        if (await CheckAsync(connection, tx, unit, details, effectiveOn, ct, applying) is { } refusal) return refusal;
        await connection.ExecuteAsync(tx, "UPDATE units SET name = $2, code = $3 WHERE id = $1", ct, unit.Id, details.Name, details.Code);
        await Outbox.EnqueueAsync(connection, tx,
            new UnitRenamed(Guid.NewGuid(), time.GetUtcNow(), unit.Id, details.Code, details.Name, unit.Code, unit.Name, effectiveOn), ct);
        return null;
    }
}
