using MotCua.Dossier.Calendar;
using System.Text.Json;
using NpgsqlTypes;

namespace MotCua.Dossier.Procedures;

/// <summary>
/// The TTHC catalogue: <c>POST /api/procedures</c> (admin; the same code again adds a version),
/// <c>GET /api/procedures</c>, <c>GET /api/procedures/{code}</c>.
/// </summary>
public static class ProceduresApi
{
    public sealed record ProcessingTimeRequest(decimal? Value, string? Unit);

    public sealed record StepRequest(string? Name, string? Role, decimal? Hours, Guid? UnitId);

    public sealed record ProcedureRequest(
        string? Code, string? Name, string? Field, string? Level, ProcessingTimeRequest? ProcessingTime, List<StepRequest?>? Steps,
        decimal? Fees, List<string>? Papers, bool? LienThong, decimal? ExtensionHours);

    private static readonly string[] StepRoles = [MotCuaRoles.Counter, MotCuaRoles.Specialist, MotCuaRoles.Leader];

    public static void MapProceduresApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/procedures", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return Results.Ok(await connection.ListAsync(null, Procedure.Latest + " ORDER BY code, version DESC", Procedure.Read, ct));
        });
        app.MapGet("/api/procedures/{code}", async (string code, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await Procedure.LatestAsync(connection, null, code, ct) is { } procedure
                ? Results.Ok(procedure)
                : Problems.NotFound($"No procedure {code}.");
        });
        app.MapPost("/api/procedures", Create).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Create(
        ProcedureRequest? request, NpgsqlDataSource dataSource, CalendarStore calendar, TimeProvider time, CancellationToken ct)
    {
        var errors = Validate(request, calendar.WorkingDay);
        if (errors.Any) return errors.ToResult();
        var r = request!;
        var steps = r.Steps!.Select(s => new ProcedureStep(s!.Name!.Trim(), s.Role!, s.Hours!.Value, s.UnitId)).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        for (var i = 0; i < steps.Length; i++)
            if (steps[i].UnitId is { } unit
                && await connection.ScalarAsync<long>(null, "SELECT count(*) FROM unit_directory WHERE id = $1", ct, unit) == 0)
                errors.Add($"steps[{i}].unitId", "No such unit.");
        if (errors.Any) return errors.ToResult();
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Versions of one code are numbered under a lock so two edits cannot take the same number.
        await connection.ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(hashtext($1))", ct, r.Code!.Trim());
        var version = (await connection.ScalarAsync<int?>(tx, "SELECT max(version) FROM procedures WHERE code = $1", ct, r.Code.Trim()) ?? 0) + 1;
        var procedure = new Procedure(r.Code!.Trim(), version, r.Name!.Trim(), r.Field!.Trim(), r.Level ?? "commune",
            new ProcessingTime(r.ProcessingTime!.Value!.Value, r.ProcessingTime.Unit!), r.Fees ?? 0,
            r.Papers?.Select(p => p.Trim()).ToArray() ?? [], r.LienThong ?? false, r.ExtensionHours, steps);
        await using (var insert = connection.Command(tx, $"""
            INSERT INTO procedures ({Procedure.Columns.Replace("::text", "")}, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """, procedure.Code, procedure.Version, procedure.Name, procedure.Field, procedure.Level, procedure.ProcessingTime.Value,
            procedure.ProcessingTime.Unit, procedure.Fees, procedure.Papers.ToArray(), procedure.LienThong, procedure.ExtensionHours,
            JsonSerializer.Serialize(steps, JsonSerializerOptions.Web), time.GetUtcNow()))
        {
            insert.Parameters[11].NpgsqlDbType = NpgsqlDbType.Jsonb;
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return Results.Created($"/api/procedures/{procedure.Code}", procedure);
    }

    private static FieldErrors Validate(ProcedureRequest? request, TimeSpan workingDay)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.");
        errors.Code("code", request.Code, 60).Require("name", request.Name, 300).Require("field", request.Field, 200);
        if (request.Level is { Length: > 40 }) errors.Add("level", "At most 40 characters.");
        var time = request.ProcessingTime;
        if (time is null) errors.Add("processingTime", "Required: { value, unit }.");
        else
        {
            if (time.Unit is not (ProcessingTime.WorkingDays or ProcessingTime.WorkingHours))
                errors.Add("processingTime.unit", "workingDays or workingHours.");
            if (time.Value is not > 0 || time.Value > 2000) errors.Add("processingTime.value", "Greater than 0 (and at most 2000).");
        }
        if (request.Fees is < 0 or > 1_000_000_000) errors.Add("fees", "From 0 to 1,000,000,000 đồng.");
        if (request.ExtensionHours is <= 0 or > 16_000) errors.Add("extensionHours", "Greater than 0 and at most 16,000 working hours when given.");
        if (request.Papers is { Count: > 50 }) errors.Add("papers", "At most 50 papers.");
        for (var i = 0; i < (request.Papers?.Count ?? 0); i++) errors.Require($"papers[{i}]", request.Papers![i], 300);
        if (request.Steps is not { Count: > 0 }) return errors.Add("steps", "At least one step.");
        if (request.Steps.Count > 30) return errors.Add("steps", "At most 30 steps.");
        for (var i = 0; i < request.Steps.Count; i++)
        {
            var step = request.Steps[i];
            if (step is null) { errors.Add($"steps[{i}]", "A step object."); continue; }
            errors.Require($"steps[{i}].name", step.Name, 200);
            if (step.Role is null || !StepRoles.Contains(step.Role)) errors.Add($"steps[{i}].role", "counter, specialist or leader.");
            if (step.Hours is not >= 0 || step.Hours > 16_000) errors.Add($"steps[{i}].hours", "From 0 to 16,000 working hours.");
        }
        if (time is { Value: > 0, Unit: ProcessingTime.WorkingDays or ProcessingTime.WorkingHours }
            && request.Steps.All(s => s?.Hours is >= 0)
            && request.Steps.Sum(s => s!.Hours!.Value) != new ProcessingTime(time.Value!.Value, time.Unit).HoursIn(workingDay))
            errors.Add("steps", $"The steps' hours must add up to the statutory time ({new ProcessingTime(time.Value!.Value, time.Unit).HoursIn(workingDay)} working hours).");
        return errors;
    }
}
