using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using System.Text.Json;
using NpgsqlTypes;

namespace MotCua.Dossier.Procedures;

/// <summary>
/// The TTHC catalogue: <c>POST /api/procedures</c> (admin; the same code again adds a version),
/// <c>GET /api/procedures?unitId=&amp;q=&amp;field=</c> (with <c>unitId</c>: what that unit's counter may receive),
/// <c>GET /api/procedures/{code}</c>. The catalogue belongs to the province: national procedures plus its own.
/// </summary>
public static class ProceduresApi
{
    public sealed record ProcessingTimeRequest(decimal? Value, string? Unit);

    public sealed record StepRequest(string? Name, string? Role, decimal? Hours, Guid? UnitId, string? UnitKind = null);

    public sealed record ProcedureRequest(
        string? Code, string? Name, string? Field, string? Level, ProcessingTimeRequest? ProcessingTime, List<StepRequest?>? Steps,
        decimal? Fees, List<string>? Papers, bool? LienThong, decimal? ExtensionHours,
        Guid? ProvinceId = null, List<string?>? ReceivedBy = null, bool? ProvinceWide = null);

    /// <summary>What <c>receivedBy</c> and a step's <c>unitKind</c> may name: a unit type or an agency kind.</summary>
    public static readonly string[] Kinds = [.. UnitTypes.All.Where(t => t != UnitTypes.Agency), .. AgencyKinds.All];

    private static readonly string[] StepRoles = [MotCuaRoles.Counter, MotCuaRoles.Specialist, MotCuaRoles.Leader];

    public static void MapProceduresApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/procedures", List);
        app.MapGet("/api/procedures/{code}", async (string code, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await Procedure.LatestAsync(connection, null, code, ct) is { } procedure
                ? Results.Ok(procedure)
                : Problems.NotFound($"No procedure {code}.");
        });
        app.MapPost("/api/procedures", Create).RequireAuthorization(Policies.Admin);
    }

    /// <summary>
    /// The latest version of each procedure; with <c>unitId</c>, only those that unit's counter may receive (the national
    /// ones and its province's, by <c>receivedBy</c> or province-wide); <c>q</c> searches code and name, <c>field</c> the lĩnh vực.
    /// </summary>
    private static async Task<IResult> List(
        Guid? unitId, string? q, string? field, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (q is { Length: > 200 }) errors.Add("q", "At most 200 characters.");
        if (field is { Length: > 200 }) errors.Add("field", "At most 200 characters.");
        if (errors.Any) return errors.ToResult();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var all = await connection.ListAsync(null, Procedure.Latest + """
             WHERE ($1::text IS NULL OR code ILIKE '%' || $1 || '%' OR lower(name) LIKE '%' || lower($1) || '%')
               AND ($2::text IS NULL OR lower(field) = lower($2))
             ORDER BY code, version DESC
            """, Procedure.Read, ct, q?.Trim(), field?.Trim());
        if (unitId is not { } unit) return Results.Ok(all);
        if (!await scope.CoversAsync(http, unit)) return Problems.NotFound($"No unit {unit} among yours.");
        var receiving = await Catalogue.ReceiverAsync(connection, null, unit, ct);
        if (receiving is null) return Problems.NotFound($"No unit {unit}.");
        return Results.Ok(all.Where(p => Catalogue.Refusal(p, receiving, VietnamTime.Today(time)) is null).ToList());
    }

    private static async Task<IResult> Create(
        ProcedureRequest? request, NpgsqlDataSource dataSource, CalendarStore calendar, TimeProvider time, CancellationToken ct)
    {
        var errors = Validate(request, calendar.WorkingDay);
        if (errors.Any) return errors.ToResult();
        var r = request!;
        var steps = r.Steps!.Select(s => new ProcedureStep(s!.Name!.Trim(), s.Role!, s.Hours!.Value, s.UnitId, s.UnitKind)).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var today = VietnamTime.Today(time);
        if (r.ProvinceId is { } province && (await ServiceAreas.FindAsync(connection, null, province, ct))?.Type != UnitTypes.Province)
            return errors.Add("provinceId", "No such province.").ToResult();
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i].UnitId is { } unit && await ServiceAreas.FindAsync(connection, null, unit, ct) is null)
                errors.Add($"steps[{i}].unitId", "No such unit.");
            if (steps[i].UnitKind is { } kind && !await ServiceAreas.AnyOfKindAsync(connection, kind, r.ProvinceId, today, ct))
                errors.Add($"steps[{i}].unitKind", $"No open unit of kind {kind} serves anyone{(r.ProvinceId is null ? "" : " in the province")}: register one first.");
        }
        if (errors.Any) return errors.ToConflict();
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Versions of one code are numbered under a lock so two edits cannot take the same number.
        await connection.ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(hashtext($1))", ct, r.Code!.Trim());
        var version = (await connection.ScalarAsync<int?>(tx, "SELECT max(version) FROM procedures WHERE code = $1", ct, r.Code.Trim()) ?? 0) + 1;
        var procedure = new Procedure(r.Code!.Trim(), version, r.Name!.Trim(), r.Field!.Trim(), r.Level ?? "commune",
            new ProcessingTime(r.ProcessingTime!.Value!.Value, r.ProcessingTime.Unit!), r.Fees ?? 0,
            r.Papers?.Select(p => p.Trim()).ToArray() ?? [], r.LienThong ?? steps.Any(s => s.UnitId is not null || s.UnitKind is not null),
            r.ExtensionHours, steps, r.ProvinceId, r.ReceivedBy?.Select(k => k!).Distinct().ToArray() ?? [], r.ProvinceWide ?? false);
        await using (var insert = connection.Command(tx, $"""
            INSERT INTO procedures ({Procedure.Columns.Replace("::text", "")}, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """, procedure.Code, procedure.Version, procedure.Name, procedure.Field, procedure.Level, procedure.ProcessingTime.Value,
            procedure.ProcessingTime.Unit, procedure.Fees, procedure.Papers.ToArray(), procedure.LienThong, procedure.ExtensionHours,
            JsonSerializer.Serialize(steps, JsonSerializerOptions.Web), procedure.ProvinceId, procedure.ReceivedBy!.ToArray(),
            procedure.ProvinceWide, time.GetUtcNow()))
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
        if (request.Steps[0] is { Role: not MotCuaRoles.Counter } || request.Steps[^1] is { Role: not MotCuaRoles.Counter })
            if (request.Steps.Any(s => s?.UnitKind is not null || s?.UnitId is not null))
                errors.Add("steps", "A liên thông procedure starts and ends at the receiving counter (a counter step first and last).");
        if (request.Steps.Count > 30) return errors.Add("steps", "At most 30 steps.");
        for (var i = 0; i < request.Steps.Count; i++)
        {
            var step = request.Steps[i];
            if (step is null) { errors.Add($"steps[{i}]", "A step object."); continue; }
            errors.Require($"steps[{i}].name", step.Name, 200);
            if (step.Role is null || !StepRoles.Contains(step.Role)) errors.Add($"steps[{i}].role", "counter, specialist or leader.");
            if (step.Hours is not >= 0 || step.Hours > 16_000) errors.Add($"steps[{i}].hours", "From 0 to 16,000 working hours.");
            if (step.UnitKind is { } kind && !Kinds.Contains(kind)) errors.Add($"steps[{i}].unitKind", "One of: " + string.Join(", ", Kinds) + ".");
            if (step.UnitKind is not null && step.UnitId is not null)
                errors.Add($"steps[{i}].unitKind", "Name the step's unit or its kind, not both.");
            if (step.Role == MotCuaRoles.Counter && (step.UnitKind is not null || step.UnitId is not null))
                errors.Add($"steps[{i}].role", "A counter step is the receiving counter's; a step of another unit is a specialist's or a leader's.");
        }
        if (request.ReceivedBy is { Count: > 20 }) errors.Add("receivedBy", "At most 20 kinds.");
        for (var i = 0; i < (request.ReceivedBy?.Count ?? 0); i++)
            if (request.ReceivedBy![i] is not { } kind || !Kinds.Contains(kind))
                errors.Add($"receivedBy[{i}]", "One of: " + string.Join(", ", Kinds) + ".");
        if (time is { Value: > 0, Unit: ProcessingTime.WorkingDays or ProcessingTime.WorkingHours }
            && request.Steps.All(s => s?.Hours is >= 0)
            && request.Steps.Sum(s => s!.Hours!.Value) != new ProcessingTime(time.Value!.Value, time.Unit).HoursIn(workingDay))
            errors.Add("steps", $"The steps' hours must add up to the statutory time ({new ProcessingTime(time.Value!.Value, time.Unit).HoursIn(workingDay)} working hours).");
        return errors;
    }
}
