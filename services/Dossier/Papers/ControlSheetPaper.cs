using System.Globalization;
using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Phiếu kiểm soát quá trình giải quyết hồ sơ, printed: every hand-over with the officials' full names and both units,
/// the step's deadline and whether it ended before, on or after it, and a column for each side to sign.
/// </summary>
public static class ControlSheetPaper
{
    /// <summary>One line: the giver and taker as people and units, in Vietnamese.</summary>
    public sealed record Line(
        DateTimeOffset At, string Action, string Giver, string? GiverUnit, string? Taker, string? TakerUnit, string? Step,
        DateTimeOffset? StepDueAt, string? Timeliness, string? Note);

    /// <summary>What the platform itself records on the sheet, beside the workflow's actions.</summary>
    private static readonly Dictionary<string, string> PlatformActions = new()
    {
        ["overdue"] = "Quá hạn", ["escalate"] = "Báo cáo cấp trên", ["at-risk"] = "Cảnh báo sắp quá hạn",
    };

    private static readonly Dictionary<string, string> Outcomes = new()
    {
        [Hosting.Time.Timeliness.Early] = "Trước hạn", [Hosting.Time.Timeliness.OnTime] = "Đúng hạn", [Hosting.Time.Timeliness.Late] = "Quá hạn",
    };

    public static string ActionName(string action) =>
        PlatformActions.TryGetValue(action, out var label) ? label : WorkflowActions.LabelOf(action);

    public static Paper Of(DossierView dossier, Issuer receiving, IReadOnlyList<Line> lines, DateTimeOffset printedAt)
    {
        static string T(DateTimeOffset? at) =>
            at is { } t ? t.ToOffset(WorkingCalendar.Offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "";
        static string Who(string? person, string? unit) => string.Join("\n", new[] { person, unit }.Where(s => s is { Length: > 0 }));
        List<Block> body =
        [
            Paragraph.Field("Thủ tục", dossier.ProcedureName ?? dossier.ProcedureCode),
            Paragraph.Field("Người nộp hồ sơ", dossier.Applicant.FullName),
            new Paragraph(new[] { new Run("Ngày tiếp nhận: "), new Run(T(dossier.ReceivedAt), TextStyle.Bold), new Run("   Ngày hẹn trả: "),
                new Run(T(dossier.DueAt), TextStyle.Bold) }
                .Concat(dossier.NewDueAt is { } n ? new[] { new Run("   Hẹn lại: "), new Run(T(n), TextStyle.Bold) } : []).ToList(), Align.Left),
            new Table(
                [new Column("STT", 0.8, Align.Center), new Column("Thời gian", 2.2, Align.Center), new Column("Nội dung", 2.4),
                    new Column("Bên giao (người, đơn vị)", 3.6), new Column("Bên nhận (người, đơn vị)", 3.6), new Column("Bước", 2.4),
                    new Column("Hạn của bước", 2.2, Align.Center), new Column("Kết quả", 1.8, Align.Center), new Column("Ghi chú", 3.2),
                    new Column("Bên giao ký", 1.8), new Column("Bên nhận ký", 1.8)],
                lines.Select((l, i) => (IReadOnlyList<string>)
                [
                    (i + 1).ToString(CultureInfo.InvariantCulture), T(l.At), ActionName(l.Action), Who(l.Giver, l.GiverUnit),
                    Who(l.Taker, l.TakerUnit), l.Step ?? "", T(l.StepDueAt),
                    l.Timeliness is { } o ? Outcomes.GetValueOrDefault(o, o) : "", l.Note ?? "", "", "",
                ]).ToList()),
        ];
        return new Paper(receiving, $"Mã hồ sơ: {dossier.Code}", Decree30.PlaceAndDate(receiving.Place, printedAt),
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", body, [], $"phieu-kiem-soat-{dossier.Code}.pdf")
        { Landscape = true };
    }
}
