using MotCua.Dossier.Papers;
using MotCua.Dossier.Papers.Signing;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/dossiers/{code}/history</c>: the control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ),
/// every hand-off with giver, receiver, both units (a liên thông dossier passes between units), time, the step's
/// deadline and whether it ended early, on time or late. JSON, or the printed sheet (<see cref="ControlSheetPaper"/>) as HTML
/// (<c>?format=html</c>, <c>Accept: text/html</c>) or PDF (<c>?format=pdf</c>, <c>Accept: application/pdf</c>).
/// </summary>
public static class ControlSheet
{
    public sealed record Row(
        DateTimeOffset At, string Action, Guid ActorId, string ActorName, string? FromStep, string? ToStep, Guid? AssigneeId,
        DateTimeOffset? StepDueAt, string? Timeliness, string? Note, Guid? FromUnitId = null, string? FromUnitName = null,
        Guid? ToUnitId = null, string? ToUnitName = null, string? AssigneeName = null)
    {
        /// <summary>The actor's full name from Personnel (the sheet prints people, not log-in names); not in the JSON.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public string? ActorFullName { get; init; }
    }

    public static void MapControlSheet(this IEndpointRouteBuilder app) => app.MapGet("/api/dossiers/{code}/history", Get);

    private static async Task<IResult> Get(
        string code, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time, IConfiguration configuration,
        PaperSigning signing, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        var rows = await connection.ListAsync(null, """
            SELECT h.at, h.action, h.actor_id, h.actor_name, h.from_step, h.to_step, h.assignee_id, h.step_due_at, h.timeliness, h.note,
                   h.from_unit_id, fu.name, h.to_unit_id, tu.name, a.full_name, nullif(actor.full_name, '')
            FROM dossier_history h
            LEFT JOIN unit_directory fu ON fu.id = h.from_unit_id
            LEFT JOIN unit_directory tu ON tu.id = h.to_unit_id
            LEFT JOIN official_directory a ON a.id = h.assignee_id
            LEFT JOIN official_directory actor ON actor.id = h.actor_id
            WHERE h.dossier_id = $1 ORDER BY h.id
            """, r => new Row(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.NullableString(4),
            r.NullableString(5), r.Nullable<Guid>(6), r.Nullable<DateTimeOffset>(7), r.NullableString(8), r.NullableString(9),
            r.Nullable<Guid>(10), r.NullableString(11), r.Nullable<Guid>(12), r.NullableString(13), r.NullableString(14))
        { ActorFullName = r.NullableString(15) }, ct, dossier.Id);
        if (format is not (null or "json" or "html" or "pdf")) return new FieldErrors().Add("format", "Định dạng phải là json, html hoặc pdf.").ToResult();
        var printed = format is "html" || PapersApi.WantsPdf(http, format)
            || (format is null && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal));
        if (!printed) return Results.Ok(rows);
        var lines = rows.Select(r => new ControlSheetPaper.Line(r.At, r.Action, r.ActorFullName ?? r.ActorName, r.FromUnitName,
            r.AssigneeName, r.ToUnitName, r.ToStep ?? r.FromStep, r.StepDueAt, r.Timeliness, r.Note)).ToList();
        var paper = ControlSheetPaper.Of(dossier, await PaperDirectory.IssuerAsync(connection, dossier.UnitId, ct), lines, time.GetUtcNow());
        // Kept by the receiving unit, which signs it.
        return await PapersApi.DeliverAsync(http, format, paper, dossier.UnitId, configuration, signing, ct);
    }
}
