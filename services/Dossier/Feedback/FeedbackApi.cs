using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Feedback;

/// <summary>
/// Feedback and recommendations (phản ánh, kiến nghị). A citizen sends one anonymously through
/// <c>POST /api/public/feedback</c>, about a dossier (by its code) or a unit; the unit owes an answer within
/// <c>Feedback:AnswerWorkingDays</c> working days (10 unless the province sets otherwise). Officials list their
/// units' feedback at <c>GET /api/feedback</c> (contact details masked in lists) and a leader or specialist answers with
/// <c>POST /api/feedback/{id}/answer</c>; whether the answer came in time is measured by Evaluation from the events.
/// </summary>
public static class FeedbackApi
{
    public sealed record Citizen(string? FullName, string? Phone, string? Email);

    public sealed record FeedbackRequest(string? Kind, string? DossierCode, Guid? UnitId, string? Content, Citizen? Citizen);

    public sealed record AnswerRequest(string? Answer);

    public sealed record FeedbackItem(
        Guid Id, string Number, Guid UnitId, string Kind, string? DossierCode, string Content, Citizen Citizen, DateTimeOffset ReceivedAt,
        DateTimeOffset AnswerDueAt, string? Answer, Guid? AnsweredBy, DateTimeOffset? AnsweredAt, string? Timeliness, bool Overdue);

    /// <summary>Phản ánh (about how a procedure was handled) and kiến nghị (a proposal).</summary>
    private static readonly string[] Kinds = ["feedback", "recommendation"];

    private static readonly string[] States = ["open", "answered", "overdue"];

    private const string Columns = """
        id, number, unit_id, kind, dossier_code, content, citizen::text, received_at, answer_due_at, answer, answered_by, answered_at, timeliness
        """;

    public static void MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/public/feedback", Submit).AllowAnonymous().RequireRateLimiting(RateLimits.Public);
        app.MapGet("/api/feedback", List);
        app.MapGet("/api/feedback/{id:guid}", Get);
        app.MapPost("/api/feedback/{id:guid}/answer", Answer)
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{MotCuaRoles.Leader},{MotCuaRoles.Specialist}" });
    }

    private static async Task<IResult> Submit(
        FeedbackRequest? request, NpgsqlDataSource dataSource, CalendarStore calendars, IConfiguration configuration, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request?.Kind is null || !Kinds.Contains(request.Kind)) errors.Add("kind", "One of: " + string.Join(", ", Kinds) + ".");
        errors.Require("content", request?.Content, 4000);
        errors.Require("citizen.fullName", request?.Citizen?.FullName, 200);
        var phone = request?.Citizen?.Phone?.Trim();
        var email = request?.Citizen?.Email?.Trim();
        if (phone is null && email is null) errors.Add("citizen.phone", "A phone number or an e-mail address, for the answer.");
        if (phone is not null && !Intake.VietnamesePhone().IsMatch(phone)) errors.Add("citizen.phone", "A Vietnamese phone number, e.g. 0912345678.");
        if (email is not null && !Intake.Email().IsMatch(email)) errors.Add("citizen.email", "An e-mail address.");
        if (request?.DossierCode is null && request?.UnitId is null) errors.Add("unitId", "The unit concerned, or dossierCode.");
        if (request?.DossierCode is { Length: > 60 }) errors.Add("dossierCode", "At most 60 characters.");
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        Guid unit;
        if (request!.DossierCode is { } code)
        {
            // A unit named beside the code that is not the dossier's answers as an unknown code would: an outsider
            // learns nothing about which unit holds which code.
            var dossierUnit = await connection.ScalarAsync<Guid?>(tx, "SELECT unit_id FROM dossiers WHERE code = $1", ct, code.Trim());
            if (dossierUnit is null || request.UnitId is { } named && named != dossierUnit)
                return new FieldErrors().Add("dossierCode", $"No dossier {code}.").ToResult();
            unit = dossierUnit.Value;
        }
        else
        {
            unit = request.UnitId!.Value;
            if (await connection.ScalarAsync<Guid?>(tx, "SELECT id FROM unit_directory WHERE id = $1 AND merged_into IS NULL", ct, unit) is null)
                return new FieldErrors().Add("unitId", $"No unit {unit}.").ToResult();
        }

        var now = time.GetUtcNow().ToDatabasePrecision();
        var calendar = await calendars.CurrentAsync(ct);
        var due = calendar.Add(now, calendar.WorkingDay * configuration.GetValue("Feedback:AnswerWorkingDays", 10));
        var sequence = await connection.ScalarAsync<long>(tx, "SELECT nextval('feedback_number')", ct);
        var number = $"PA-{VietnamTime.ToLocal(now):yyyyMM}-{sequence:D6}";
        var citizen = new Citizen(request.Citizen!.FullName!.Trim(), phone, email);
        var id = Guid.NewGuid();
        await connection.ExecuteAsync(tx, """
            INSERT INTO feedback (id, number, unit_id, kind, dossier_code, content, citizen, received_at, answer_due_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
            """, ct, id, number, unit, request.Kind, request.DossierCode?.Trim(), request.Content!.Trim(),
            JsonSerializer.Serialize(citizen, JsonSerializerOptions.Web), now, due);
        await Outbox.EnqueueAsync(connection, tx,
            new FeedbackReceived(Guid.NewGuid(), now, id, number, unit, request.Kind!, request.DossierCode?.Trim(), now, due), ct);
        await tx.CommitAsync(ct);
        // The unit only as the citizen named it: the answer to a code must not say whose it is.
        return Results.Created($"/api/feedback/{id}", new { id, number, unitId = request.UnitId, receivedAt = now, answerDueAt = due });
    }

    /// <summary><c>GET /api/feedback?unitId=&amp;status=open|answered|overdue</c>, soonest due first; contact details masked for viewers.</summary>
    private static async Task<IResult> List(
        HttpContext http, Guid? unitId, string? status, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var paging = Paging.From(http.Request, errors);
        if (status is not null && !States.Contains(status)) errors.Add("status", "One of: " + string.Join(", ", States) + ".");
        if (errors.Any) return errors.ToResult();
        var caller = Caller.From(http);
        var (covered, units) = await scope.ListedAsync(caller, unitId, ct);
        if (!covered) return Problems.NotFound($"No unit {unitId} among yours.");

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.ListAsync(null, $"""
            SELECT {Columns}, count(*) OVER () FROM feedback
            WHERE ($1::uuid[] IS NULL OR unit_id = ANY($1))
              AND ($2::text IS NULL OR ($2 = 'open' AND answered_at IS NULL) OR ($2 = 'answered' AND answered_at IS NOT NULL)
                   OR ($2 = 'overdue' AND answered_at IS NULL AND answer_due_at < $3))
            ORDER BY answered_at IS NOT NULL, answer_due_at, number
            LIMIT $4 OFFSET $5
            """, r => (Item: Read(r, now, masked: true), Total: r.GetInt64(13)), ct, units, status, now, paging.PageSize, paging.Offset);
        return Results.Ok(new PagedList<FeedbackItem>([.. rows.Select(r => r.Item)], paging.Page, paging.PageSize, rows.FirstOrDefault().Total));
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        var caller = Caller.From(http);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var found = (await connection.ListAsync(null, $"SELECT {Columns} FROM feedback WHERE id = $1",
            r => Read(r, time.GetUtcNow(), masked: !caller.SeesPersonalData), ct, id)).SingleOrDefault();
        if (found is null || !await scope.CoversAsync(caller, found.UnitId, ct)) return Problems.NotFound($"No feedback {id}.");
        if (caller.SeesPersonalData)
            await connection.ExecuteAsync(null, """
                INSERT INTO feedback_reads (feedback_id, reader_id, reader_name, at, reason, address) VALUES ($1, $2, $3, $4, $5, $6)
                """, ct, id, caller.Id, caller.Name, time.GetUtcNow(), Lookup.AccessReason(http), http.ClientAddress());
        return Results.Ok(found);
    }

    private static async Task<IResult> Answer(
        Guid id, AnswerRequest? request, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors().Require("answer", request?.Answer, 4000);
        if (errors.Any) return errors.ToResult();
        var caller = Caller.From(http);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = (await connection.ListAsync(tx, "SELECT number, unit_id, answer_due_at, answered_at FROM feedback WHERE id = $1 FOR UPDATE",
            r => (Number: r.GetString(0), Unit: r.GetGuid(1), Due: r.GetFieldValue<DateTimeOffset>(2), Answered: !r.IsDBNull(3)), ct, id))
            .SingleOrDefault();
        if (found.Number is null || !await scope.CoversAsync(caller, found.Unit, ct)) return Problems.NotFound($"No feedback {id}.");
        if (found.Answered) return Problems.Conflict($"Feedback {found.Number} has been answered already.");
        var now = time.GetUtcNow().ToDatabasePrecision();
        var timeliness = Timeliness.Of(now, found.Due);
        await connection.ExecuteAsync(tx, """
            UPDATE feedback SET answer = $2, answered_by = $3, answered_at = $4, timeliness = $5 WHERE id = $1
            """, ct, id, request!.Answer!.Trim(), caller.Id, now, timeliness);
        await Outbox.EnqueueAsync(connection, tx,
            new FeedbackAnswered(Guid.NewGuid(), now, id, found.Number, found.Unit, caller.Id, found.Due, timeliness), ct);
        await tx.CommitAsync(ct);
        return await Get(id, http, dataSource, scope, time, ct);
    }

    private static FeedbackItem Read(NpgsqlDataReader r, DateTimeOffset now, bool masked)
    {
        var citizen = JsonSerializer.Deserialize<Citizen>(r.GetString(6), JsonSerializerOptions.Web)!;
        if (masked)
            citizen = citizen with { Phone = citizen.Phone is { } p ? Masking.Phone(p) : null, Email = citizen.Email is { } e ? Masking.Email(e) : null };
        var answeredAt = r.Nullable<DateTimeOffset>(11);
        var due = r.GetFieldValue<DateTimeOffset>(8);
        return new FeedbackItem(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.NullableString(4), r.GetString(5), citizen,
            r.GetFieldValue<DateTimeOffset>(7), due, r.NullableString(9), r.Nullable<Guid>(10), answeredAt, r.NullableString(12),
            answeredAt is null && due < now);
    }
}
