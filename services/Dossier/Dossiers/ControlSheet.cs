using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text;
using MotCua.Contracts;
using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/dossiers/{code}/history</c>: the control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ),
/// every hand-off with giver, receiver, both units (a liên thông dossier passes between units), time, the step's
/// deadline and whether it ended early, on time or late. JSON, or a printable page with <c>Accept: text/html</c> or <c>?format=html</c>.
/// </summary>
public static class ControlSheet
{
    public sealed record Row(
        DateTimeOffset At, string Action, Guid ActorId, string ActorName, string? FromStep, string? ToStep, Guid? AssigneeId,
        DateTimeOffset? StepDueAt, string? Timeliness, string? Note, Guid? FromUnitId = null, string? FromUnitName = null,
        Guid? ToUnitId = null, string? ToUnitName = null, string? AssigneeName = null);

    public static void MapControlSheet(this IEndpointRouteBuilder app) => app.MapGet("/api/dossiers/{code}/history", Get);

    private static async Task<IResult> Get(string code, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        var rows = await connection.ListAsync(null, """
            SELECT h.at, h.action, h.actor_id, h.actor_name, h.from_step, h.to_step, h.assignee_id, h.step_due_at, h.timeliness, h.note,
                   h.from_unit_id, fu.name, h.to_unit_id, tu.name, a.full_name
            FROM dossier_history h
            LEFT JOIN unit_directory fu ON fu.id = h.from_unit_id
            LEFT JOIN unit_directory tu ON tu.id = h.to_unit_id
            LEFT JOIN official_directory a ON a.id = h.assignee_id
            WHERE h.dossier_id = $1 ORDER BY h.id
            """, r => new Row(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.NullableString(4),
            r.NullableString(5), r.Nullable<Guid>(6), r.Nullable<DateTimeOffset>(7), r.NullableString(8), r.NullableString(9),
            r.Nullable<Guid>(10), r.NullableString(11), r.Nullable<Guid>(12), r.NullableString(13), r.NullableString(14)), ct, dossier.Id);
        return format == "html" || (format is null && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            ? Results.Content(Html(dossier, rows), "text/html; charset=utf-8")
            : Results.Ok(rows);
    }

    private static readonly Dictionary<string, string> Timeliness = new()
    {
        [Hosting.Time.Timeliness.Early] = "Trước hạn", [Hosting.Time.Timeliness.OnTime] = "Đúng hạn", [Hosting.Time.Timeliness.Late] = "Quá hạn",
    };

    // Vietnamese letters stay letters in the page; only markup characters are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Html(DossierView dossier, IReadOnlyList<Row> rows)
    {
        static string E(string? text) => Encoder.Encode(text ?? "");
        static string Unit(string? name) => name is { Length: > 0 } ? $"<br><small>{E(name)}</small>" : "";
        static string T(DateTimeOffset? at) => at is { } t ? t.ToOffset(WorkingCalendar.Offset).ToString("HH:mm dd/MM/yyyy") : "";
        var html = new StringBuilder($"""
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><title>Phiếu kiểm soát {E(dossier.Code)}</title>
            <style>
              body {"{"} font-family: "DejaVu Serif", "Times New Roman", serif; margin: 2cm; {"}"}
              h1 {"{"} text-align: center; font-size: 16pt; {"}"}
              table {"{"} border-collapse: collapse; width: 100%; font-size: 11pt; {"}"}
              th, td {"{"} border: 1px solid #000; padding: 4px 6px; vertical-align: top; {"}"}
              @media print {"{"} body {"{"} margin: 1cm; {"}"} {"}"}
            </style></head><body>
            <h1>PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ</h1>
            <p>Mã hồ sơ: <strong>{E(dossier.Code)}</strong><br>
            Thủ tục: {E(dossier.ProcedureName ?? dossier.ProcedureCode)}<br>
            Người nộp: {E(dossier.Applicant.FullName)}<br>
            Ngày tiếp nhận: {T(dossier.ReceivedAt)} — Ngày hẹn trả: {T(dossier.NewDueAt ?? dossier.DueAt)}</p>
            <table><thead><tr><th>Thời gian</th><th>Việc</th><th>Bên giao</th><th>Bên nhận</th><th>Từ bước</th><th>Sang bước</th>
            <th>Hạn của bước</th><th>Kết quả</th><th>Ghi chú</th></tr></thead><tbody>
            """);
        foreach (var row in rows)
            html.Append($"<tr><td>{T(row.At)}</td><td>{E(WorkflowActions.LabelOf(row.Action))}</td>"
                + $"<td>{E(row.ActorName)}{Unit(row.FromUnitName)}</td><td>{E(row.AssigneeName)}{Unit(row.ToUnitName)}</td>"
                + $"<td>{E(row.FromStep)}</td><td>{E(row.ToStep)}</td><td>{T(row.StepDueAt)}</td>"
                + $"<td>{E(row.Timeliness is { } t ? Timeliness.GetValueOrDefault(t, t) : "")}</td><td>{E(row.Note)}</td></tr>\n");
        html.Append("</tbody></table></body></html>\n");
        return html.ToString();
    }
}
