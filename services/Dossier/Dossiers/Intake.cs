using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Procedures;
using MotCua.Hosting;
using MotCua.Data;
using MotCua.Organisation;
using NpgsqlTypes;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// Reception (tiếp nhận): <c>POST /api/dossiers</c> validates the applicant, procedure and unit, gives the
/// dossier its code (mã hồ sơ), computes its due time and its steps' deadlines, and announces
/// <see cref="DossierReceived"/> through the outbox, all in one transaction; the answer carries the
/// receipt (Form 01). An online submission is only registered: a counter officer receives or refuses it.
/// The same <c>Idempotency-Key</c> from the same official returns the same dossier.
/// </summary>
public static partial class Intake
{
    /// <param name="ReturnUnitId">Where the citizen collects the result, when not at the receiving counter.</param>
    public sealed record IntakeRequest(
        string? ProcedureCode, Guid? UnitId, string? Channel, Applicant? Applicant, List<string?>? Papers, Guid? ReturnUnitId = null);

    private static readonly string[] Channels = [.. SubmissionChannels.Labels.Keys];

    public static void MapIntake(this IEndpointRouteBuilder app) => app.MapPost("/api/dossiers", Receive)
        .RequireAuthorization(new AuthorizeAttribute { Roles = $"{MotCuaRoles.Counter},{MotCuaRoles.Admin}" });

    private static async Task<IResult> Receive(
        IntakeRequest? request, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, CalendarStore calendars,
        TimeProvider time, CancellationToken ct)
    {
        var givenKey = http.Request.Headers["Idempotency-Key"].ToString();
        var errors = Validate(request, givenKey);
        if (errors.Any) return errors.ToResult();
        if (!await scope.CoversAsync(http, request!.UnitId!.Value))
            return Problems.NotFound($"No unit {request.UnitId} among yours.");
        // A key is the caller's own: the same key from another counter is another request.
        var idempotencyKey = givenKey.Length > 0 ? $"{Caller.From(http).Id}:{givenKey}" : "";

        var fingerprint = System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request));

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (idempotencyKey.Length > 0 && await ReplayAsync(connection, idempotencyKey, fingerprint, http, scope, time, ct) is { } replay)
            return replay;
        var procedure = await Procedure.LatestAsync(connection, null, request.ProcedureCode!.Trim(), ct);
        if (procedure is null) return errors.Add("procedureCode", "No such procedure in the catalogue.").ToResult();
        var agency = await UnitDirectory.AgencyCodeAsync(connection, null, request.UnitId.Value, ct);
        if (agency is null) return errors.Add("unitId", "The unit is unknown here or has no electronic agency code.").ToResult();
        var (routed, refusal) = await Routing.PlanAsync(connection, null, procedure, request.UnitId.Value, VietnamTime.Today(time), ct,
            request.ReturnUnitId);
        if (refusal is not null) return refusal;
        procedure = routed!;

        var calendar = await calendars.CurrentAsync(ct);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var now = time.GetUtcNow().ToDatabasePrecision();
            var online = request.Channel == SubmissionChannels.Online;
            var dossier = new DossierView(Guid.NewGuid(), await NextCodeAsync(connection, tx, agency, now, ct),
                online ? "registered" : "received", procedure.Code, request.UnitId.Value, request.Channel!, Trimmed(request.Applicant!),
                request.Papers?.Select(p => p!.Trim()).ToArray() ?? [], now, null, null, 1, [],
                procedure.Name, procedure.Version, RuleSets.For(now));
            await InsertAsync(connection, tx, dossier, idempotencyKey, fingerprint, ct);
            if (!online) dossier = await Reception.StartClockAsync(connection, tx, dossier, procedure, calendar, now, Caller.From(http), ct);
            await Outbox.EnqueueAsync(connection, tx, new DossierReceived(
                Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode, dossier.UnitId, dossier.Channel,
                dossier.ReceivedAt, dossier.DueAt, Reception.Contact(dossier), dossier.Status, procedure.Name, dossier.RuleSet), ct);
            await tx.CommitAsync(ct);
            // Operators find a dossier's trace by its code (Jaeger: tag motcua.dossier.code=...).
            System.Diagnostics.Activity.Current?.SetTag(Telemetry.DossierCodeTag, dossier.Code);
            return Results.Created($"/api/dossiers/{dossier.Code}", dossier with { Receipt = Receipt.Of(dossier, procedure, agency) });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "dossiers_idempotency_key_key")
        {
            // A concurrent retry with the same key committed first.
            return (await ReplayAsync(connection, idempotencyKey, fingerprint, http, scope, time, ct))!;
        }
    }

    /// <summary>
    /// The answer to a key already used: the same dossier, shown as a fresh read would show it now (scope, masking, the
    /// read recorded), or a 422 when the key came with a different request.
    /// </summary>
    private static async Task<IResult?> ReplayAsync(
        NpgsqlConnection connection, string idempotencyKey, byte[] fingerprint, HttpContext http, UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        if (await DossierView.FindAsync(connection, null, "idempotency_key", idempotencyKey, ct) is not { } earlier) return null;
        var first = await connection.ScalarAsync<byte[]>(null, "SELECT request_fingerprint FROM dossiers WHERE id = $1", ct, earlier.Id);
        if (first is not null && !first.AsSpan().SequenceEqual(fingerprint))
            return new FieldErrors().Add("Idempotency-Key", "Already used for a different request; use a new key for a new dossier.")
                .ToUnprocessable();
        if (!await earlier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {earlier.Code}.");
        return Results.Ok(await Lookup.PresentAsync(connection, earlier, http, time, ct));
    }

    private static Applicant Trimmed(Applicant a) =>
        new(a.FullName!.Trim(), a.IdNumber, a.Phone?.Trim(), a.Email?.Trim(), a.Address?.Trim());

    private static FieldErrors Validate(IntakeRequest? request, string idempotencyKey)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.");
        if (idempotencyKey.Length > 100) errors.Add("Idempotency-Key", "At most 100 characters.");
        errors.Require("procedureCode", request.ProcedureCode, 60);
        if (request.UnitId is null || request.UnitId == Guid.Empty) errors.Add("unitId", "Required.");
        if (request.Channel is null || !Channels.Contains(request.Channel))
            errors.Add("channel", "One of: counter, online, postal.");

        var applicant = request.Applicant;
        if (applicant is null) return errors.Add("applicant", "Required.");
        errors.Require("applicant.fullName", applicant.FullName);
        if (applicant.IdNumber is null || !CitizenId().IsMatch(applicant.IdNumber))
            errors.Add("applicant.idNumber", "A 12-digit citizen identity number (CCCD).");
        if (applicant.Phone is not null && !VietnamesePhone().IsMatch(applicant.Phone.Trim()))
            errors.Add("applicant.phone", "A Vietnamese mobile number, e.g. 0912345678 or +84912345678.");
        if (applicant.Email is not null && (applicant.Email.Length > 200 || !Email().IsMatch(applicant.Email.Trim())))
            errors.Add("applicant.email", "An e-mail address.");
        if (applicant.Address is { Length: > 300 }) errors.Add("applicant.address", "At most 300 characters.");

        if (request.Papers is { Count: > 50 }) errors.Add("papers", "At most 50 papers.");
        for (var i = 0; i < (request.Papers?.Count ?? 0); i++)
            errors.Require($"papers[{i}]", request.Papers![i]);
        return errors;
    }

    private static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, DossierView dossier, string idempotencyKey, byte[] fingerprint, CancellationToken ct)
    {
        await connection.RunAsync(tx, """
            INSERT INTO dossiers (id, code, procedure_code, procedure_version, procedure_name, unit_id, channel, status, applicant, papers,
                received_at, rule_set, version, idempotency_key, request_fingerprint)
            VALUES (@id, @code, @procedureCode, @procedureVersion, @procedureName, @unitId, @channel, @status, @applicant, @papers,
                @receivedAt, @ruleSet, @version, @idempotencyKey, @fingerprint)
            """, new
        {
            id = dossier.Id, code = dossier.Code, procedureCode = dossier.ProcedureCode, procedureVersion = dossier.ProcedureVersion,
            procedureName = dossier.ProcedureName, unitId = dossier.UnitId, channel = dossier.Channel, status = dossier.Status,
            applicant = Rows.Typed(JsonSerializer.Serialize(dossier.Applicant, JsonSerializerOptions.Web), NpgsqlDbType.Jsonb),
            papers = Rows.Typed(JsonSerializer.Serialize(dossier.Papers), NpgsqlDbType.Jsonb), receivedAt = dossier.ReceivedAt,
            ruleSet = dossier.RuleSet, version = dossier.Version,
            idempotencyKey = Rows.Typed(idempotencyKey.Length > 0 ? idempotencyKey : null, NpgsqlDbType.Text),
            fingerprint = Rows.Typed(idempotencyKey.Length > 0 ? fingerprint : null, NpgsqlDbType.Bytea),
        }, ct);
    }

    /// <summary>
    /// Mã hồ sơ <c>AGENCY-YYMMDD-NNNN</c>. The row lock on (agency, day) serialises concurrent intakes of one
    /// agency, and a rolled-back intake rolls its number back too, so codes are unique and never reused.
    /// </summary>
    private static async Task<string> NextCodeAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string agency, DateTimeOffset now, CancellationToken ct)
    {
        var sequence = await connection.QuerySingleOrDefaultAsync(tx, """
            INSERT INTO dossier_code_sequences (agency_code, day, last_value) VALUES (@agency, @day, 1)
            ON CONFLICT (agency_code, day) DO UPDATE SET last_value = dossier_code_sequences.last_value + 1
            RETURNING last_value
            """, new { agency, day = DateOnly.FromDateTime(now.ToOffset(WorkingCalendar.Offset).DateTime) }, row => row.Get<int>("last_value"), ct);
        return CodeOf(agency, now, sequence);
    }

    /// <summary>The receipt's code (số biên nhận): the agency's electronic code, the day in Vietnam, the day's number.</summary>
    public static string CodeOf(string agency, DateTimeOffset now, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{agency}-{now.ToOffset(WorkingCalendar.Offset):yyMMdd}-{sequence:D4}");

    [GeneratedRegex(@"^[0-9]{12}\z")]
    private static partial Regex CitizenId();

    public static Regex VietnamesePhone() => ContactFormats.VietnamesePhone();

    public static Regex Email() => ContactFormats.Email();
}
