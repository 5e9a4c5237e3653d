using MotCua.Personnel.Accounts;
using MotCua.Contracts;

namespace MotCua.Personnel.Officials;

/// <summary>
/// Changing who may do what: <c>PUT /api/officials/{id}/roles</c>, <c>POST /api/officials/{id}/disable</c>
/// (the account goes with it), and training records <c>POST /api/officials/{id}/trainings</c>.
/// </summary>
public static class OfficialAdministration
{
    public sealed record RolesRequest(List<string>? Roles);

    public sealed record TrainingRequest(string? Course, string? Kind, DateOnly? CompletedOn);

    public static void MapOfficialAdministration(this IEndpointRouteBuilder app)
    {
        var officials = app.MapGroup("/api/officials/{id:guid}").RequireAuthorization(Policies.Admin);
        officials.MapPut("/roles", ChangeRoles);
        officials.MapPost("/disable", Disable);
        officials.MapPost("/trainings", AddTraining);
    }

    private static async Task<IResult> ChangeRoles(Guid id, RolesRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        if (request?.Roles is null || request.Roles.Any(r => !Qualifications.Roles.Contains(r)))
            return new FieldErrors().Add("roles", "A list of: " + string.Join(", ", Qualifications.Roles) + ".").ToResult();
        return await UpdateAsync(id, request.Roles.Distinct().ToArray(), disable: false, dataSource, time, ct);
    }

    private static Task<IResult> Disable(Guid id, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct) =>
        UpdateAsync(id, [], disable: true, dataSource, time, ct);

    private static async Task<IResult> UpdateAsync(
        Guid id, string[] roles, bool disable, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var official = await Official.FindAsync(connection, tx, id, VietnamTime.Today(time), ct);
        if (official is null) return Problems.NotFound($"No official {id}.");
        if (official.Disabled) return Problems.Conflict("The official is disabled.");

        await connection.ExecuteAsync(tx, "UPDATE officials SET roles = $2, disabled = $3 WHERE id = $1", ct, id, roles, disable);
        await connection.ExecuteAsync(tx, "UPDATE accounts SET roles = $2, disabled = $3 WHERE official_id = $1", ct, id, roles, disable);
        await AccessChange.RaiseForOfficialsAsync(connection, tx, [id], time, ct);
        await Outbox.EnqueueAsync(connection, tx, new OfficialRolesChanged(Guid.NewGuid(), time.GetUtcNow(), id,
            official.UnitId ?? Guid.Empty, roles, disable), ct);
        await tx.CommitAsync(ct);
        return Results.Ok(official with { Roles = roles, Disabled = disable });
    }

    private static async Task<IResult> AddTraining(Guid id, TrainingRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Require("course", request?.Course, 300).Require("kind", request?.Kind, 100);
        if (request?.CompletedOn is null) errors.Add("completedOn", "Required (YYYY-MM-DD).");
        else if (request.CompletedOn > VietnamTime.Today(time)) errors.Add("completedOn", "In the future.");
        // A course can predate the records' range (an official trained in the 1990s), not a working life.
        else if (request.CompletedOn < VietnamTime.Today(time).AddYears(-60)) errors.Add("completedOn", "More than 60 years ago.");
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var trainingId = Guid.NewGuid();
        var inserted = await connection.ExecuteAsync(null, """
            INSERT INTO trainings (id, official_id, course, kind, completed_on)
            SELECT $1, id, $3, $4, $5 FROM officials WHERE id = $2
            """, ct, trainingId, id, request!.Course!.Trim(), request.Kind!.Trim(), request.CompletedOn!.Value);
        return inserted == 1
            ? Results.Created($"/api/officials/{id}", new OfficialQueries.Training(trainingId, request.Course.Trim(), request.Kind.Trim(), request.CompletedOn.Value))
            : Problems.NotFound($"No official {id}.");
    }
}
