using MotCua.Personnel.Officials;
using MotCua.Personnel.Units;

namespace MotCua.Personnel.Positions;

/// <summary>
/// Vị trí việc làm: a unit's job positions with their quota (biên chế) and requirements.
/// <c>POST /api/positions</c>, <c>GET /api/positions?unitId=</c>, <c>PUT /api/officials/{id}/position</c>.
/// </summary>
public sealed record Position(Guid Id, Guid UnitId, string Name, int Quota, string MinProfessional, string[] Majors)
{
    /// <summary>Whether an official's qualifications fit the position (bố trí phù hợp với vị trí việc làm).</summary>
    public bool Fits(Official official) =>
        Qualifications.Professional.AtLeast(official.Education.Professional!, MinProfessional)
        && (Majors.Length == 0 || (official.Education.Major is { } major && Majors.Contains(major, StringComparer.OrdinalIgnoreCase)));

    public const string Columns = "id, unit_id, name, quota, min_professional, majors";

    public static Position Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetFieldValue<string[]>(5));
}

public static class PositionsApi
{
    public sealed record PositionRequest(Guid? UnitId, string? Name, int? Quota, string? MinProfessional, List<string>? Majors);

    public sealed record Placement(Guid? PositionId);

    public static void MapPositions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/positions", Create).RequireAuthorization(Policies.Admin);
        app.MapGet("/api/positions", async (Guid? unitId, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            if (unitId is null) return new FieldErrors().Add("unitId", "Required.").ToResult();
            if (!await scope.CoversAsync(http, unitId.Value)) return Problems.NotFound($"No unit {unitId}.");
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return Results.Ok(await connection.ListAsync(null,
                $"SELECT {Position.Columns} FROM positions WHERE unit_id = $1 ORDER BY name", Position.Read, ct, unitId));
        });
        app.MapPut("/api/officials/{id:guid}/position", Place).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Create(PositionRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        if (request.UnitId is null) errors.Add("unitId", "Required.");
        errors.Require("name", request.Name, 200);
        if (request.Quota is null or < 0 or > 100_000) errors.Add("quota", "A whole number from 0.");
        if (!Qualifications.Professional.Contains(request.MinProfessional)) errors.Add("minProfessional", Qualifications.Professional.Describe());
        if (request.Majors?.Any(string.IsNullOrWhiteSpace) == true) errors.Add("majors", "No empty majors.");
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await Unit.FindAsync(connection, null, request.UnitId!.Value, ct) is not { ValidTo: null })
            return errors.Add("unitId", "No such open unit.").ToResult();
        var position = new Position(Guid.NewGuid(), request.UnitId.Value, request.Name!.Trim(), request.Quota!.Value,
            request.MinProfessional!, request.Majors?.Select(m => m.Trim()).ToArray() ?? []);
        var inserted = await connection.ExecuteAsync(null, """
            INSERT INTO positions (id, unit_id, name, quota, min_professional, majors, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (unit_id, name) DO NOTHING
            """, ct, position.Id, position.UnitId, position.Name, position.Quota, position.MinProfessional, position.Majors, time.GetUtcNow());
        return inserted == 1
            ? Results.Created($"/api/positions?unitId={position.UnitId}", position)
            : errors.Add("name", "The unit already has a position of that name.").ToConflict();
    }

    private static async Task<IResult> Place(Guid id, Placement? placement, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        if (placement is null) return new FieldErrors().Add("body", "A JSON body is required.").ToResult();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var official = await Official.FindAsync(connection, null, id, Hosting.Time.VietnamTime.Today(time), ct);
        if (official is null) return Problems.NotFound($"No official {id}.");
        if (placement.PositionId is { } positionId)
        {
            var unit = await connection.ScalarAsync<Guid>(null, "SELECT unit_id FROM positions WHERE id = $1", ct, positionId);
            if (unit == Guid.Empty) return new FieldErrors().Add("positionId", "No such position.").ToResult();
            if (unit != official.UnitId) return new FieldErrors().Add("positionId", "The position belongs to another unit.").ToResult();
        }
        await connection.ExecuteAsync(null, "UPDATE officials SET position_id = $2 WHERE id = $1", ct, id, placement.PositionId);
        return Results.NoContent();
    }
}
