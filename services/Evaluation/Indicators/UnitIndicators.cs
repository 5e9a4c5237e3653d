using MotCua.ServiceDefaults.Http;
using MotCua.ServiceDefaults.Security;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary><c>GET /api/evaluation/units/{unitId}?period=</c>; the period defaults to the current month.</summary>
public static class UnitIndicators
{
    public sealed record Indicators(Guid UnitId, string Period, int Received);

    public static void MapUnitIndicators(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/evaluation/units/{unitId:guid}", Get);

    private static async Task<IResult> Get(
        Guid unitId, string? period, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        if (!await scope.CoversAsync(http, unitId)) return Problems.NotFound($"No unit {unitId} among yours.");
        period ??= Period.Containing(time.GetUtcNow())[0];
        if (!Period.IsValid(period))
            return new FieldErrors().Add("period", "A month (2026-11), a quarter (2026-Q4) or a year (2026).").ToResult();

        await using var command = dataSource.CreateCommand(
            "SELECT received FROM unit_period_counts WHERE unit_id = $1 AND period = $2");
        command.Parameters.AddWithValue(unitId);
        command.Parameters.AddWithValue(period);
        var received = await command.ExecuteScalarAsync(ct) as int? ?? 0;
        return Results.Ok(new Indicators(unitId, period, received));
    }
}
