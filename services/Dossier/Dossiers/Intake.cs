using System.Text.Json;
using System.Text.RegularExpressions;
using MotCua.Contracts;
using MotCua.ServiceDefaults.Directory;
using MotCua.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authorization;
using MotCua.ServiceDefaults.Messaging;
using MotCua.ServiceDefaults.Security;
using MotCua.ServiceDefaults.Time;
using Npgsql;
using NpgsqlTypes;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// Reception (tiếp nhận): <c>POST /api/dossiers</c> validates the request, gives the dossier its code
/// and announces <see cref="DossierReceived"/> through the outbox, all in one transaction.
/// The same <c>Idempotency-Key</c> returns the same dossier.
/// </summary>
public static partial class Intake
{
    public sealed record IntakeRequest(
        string? ProcedureCode, Guid? UnitId, string? Channel, Applicant? Applicant, List<string?>? Papers);

    private static readonly string[] Channels = ["counter", "online", "postal"];

    public static void MapIntake(this IEndpointRouteBuilder app) => app.MapPost("/api/dossiers", Receive)
        .RequireAuthorization(new AuthorizeAttribute { Roles = $"{MotCuaRoles.Counter},{MotCuaRoles.Admin}" });

    private static async Task<IResult> Receive(
        IntakeRequest? request, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time,
        IConfiguration configuration, CancellationToken ct)
    {
        var givenKey = http.Request.Headers["Idempotency-Key"].ToString();
        var errors = Validate(request, givenKey);
        if (errors.Any) return errors.ToResult();
        // A key is the caller's own: the same key from another counter is another request.
        var idempotencyKey = givenKey.Length > 0 ? $"{Caller.From(http).Id}:{givenKey}" : "";
        if (!await scope.CoversAsync(http, request!.UnitId!.Value))
            return Problems.NotFound($"No unit {request.UnitId} among yours.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (idempotencyKey.Length > 0 && await DossierView.FindAsync(connection, null, "idempotency_key", idempotencyKey, ct) is { } earlier)
            return Replay(earlier);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var dossier = await InsertAsync(connection, tx, request!, idempotencyKey, now, configuration, ct);
            await Outbox.EnqueueAsync(connection, tx, new DossierReceived(
                Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode, dossier.UnitId, dossier.Channel,
                dossier.ReceivedAt, dossier.DueAt,
                new ApplicantContact(dossier.Applicant.FullName!, dossier.Applicant.Phone, dossier.Applicant.Email)), ct);
            await tx.CommitAsync(ct);
            return Results.Created($"/api/dossiers/{dossier.Code}", dossier);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "dossiers_idempotency_key_key")
        {
            // A concurrent retry with the same key committed first.
            return Replay((await DossierView.FindAsync(connection, null, "idempotency_key", idempotencyKey, ct))!);
        }
    }

    private static IResult Replay(DossierView dossier) => Results.Ok(dossier);

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
        if (applicant.Phone is not null && !VietnamesePhone().IsMatch(applicant.Phone))
            errors.Add("applicant.phone", "A Vietnamese phone number, e.g. 0912345678 or +84912345678.");
        if (applicant.Email is not null && !Email().IsMatch(applicant.Email))
            errors.Add("applicant.email", "An e-mail address.");
        if (applicant.Address is { Length: > 300 }) errors.Add("applicant.address", "At most 300 characters.");

        if (request.Papers is { Count: > 50 }) errors.Add("papers", "At most 50 papers.");
        for (var i = 0; i < (request.Papers?.Count ?? 0); i++)
            errors.Require($"papers[{i}]", request.Papers![i]);
        return errors;
    }

    private static async Task<DossierView> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IntakeRequest request, string idempotencyKey,
        DateTimeOffset now, IConfiguration configuration, CancellationToken ct)
    {
        var agency = await AgencyCodeAsync(connection, tx, request.UnitId!.Value, configuration, ct);
        var code = await NextCodeAsync(connection, tx, agency, VietnamTime.ToLocal(now), ct);
        var dossier = new DossierView(
            Guid.NewGuid(), code, "received", request.ProcedureCode!.Trim(), request.UnitId.Value, request.Channel!,
            request.Applicant!, request.Papers?.Select(p => p!.Trim()).ToArray() ?? [], now, null, null, 1, []);

        await using var insert = new NpgsqlCommand("""
            INSERT INTO dossiers (id, code, procedure_code, unit_id, channel, status, applicant, papers, received_at, version, idempotency_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = dossier.Id },
                new() { Value = dossier.Code },
                new() { Value = dossier.ProcedureCode },
                new() { Value = dossier.UnitId },
                new() { Value = dossier.Channel },
                new() { Value = dossier.Status },
                new() { Value = JsonSerializer.Serialize(dossier.Applicant, JsonSerializerOptions.Web), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = JsonSerializer.Serialize(dossier.Papers), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = now.UtcDateTime },
                new() { Value = dossier.Version },
                new() { Value = idempotencyKey.Length > 0 ? idempotencyKey : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            },
        };
        await insert.ExecuteNonQueryAsync(ct);
        return dossier;
    }

    /// <summary>
    /// The unit's electronic agency code from Dossier's copy of the unit tree; a unit Personnel has
    /// not announced yet falls back to <c>Dossier:DefaultAgencyCode</c>.
    /// </summary>
    private static async Task<string> AgencyCodeAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid unitId, IConfiguration configuration, CancellationToken ct)
    {
        return await UnitDirectory.AgencyCodeAsync(connection, tx, unitId, ct)
            ?? configuration["Dossier:DefaultAgencyCode"]
            ?? "000.00.00.H00";
    }

    /// <summary>
    /// The row lock on (agency, day) serialises concurrent intakes of one agency, and a rolled-back
    /// intake rolls its number back too, so codes are unique and gapless.
    /// </summary>
    private static async Task<string> NextCodeAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string agency, DateTimeOffset localNow, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO dossier_code_sequences (agency_code, day, last_value) VALUES ($1, $2, 1)
            ON CONFLICT (agency_code, day) DO UPDATE SET last_value = dossier_code_sequences.last_value + 1
            RETURNING last_value
            """, connection, tx);
        command.Parameters.AddWithValue(agency);
        command.Parameters.AddWithValue(DateOnly.FromDateTime(localNow.DateTime));
        var sequence = (int)(await command.ExecuteScalarAsync(ct))!;
        return $"{agency}-{localNow:yyMMdd}-{sequence:D4}";
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex CitizenId();

    [GeneratedRegex(@"^(0|\+84)(3|5|7|8|9)\d{8}$")]
    private static partial Regex VietnamesePhone();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
