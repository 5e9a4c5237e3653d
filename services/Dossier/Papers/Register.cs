using System.Globalization;
using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Sổ theo dõi hồ sơ: a unit's book of the dossiers its counter received in a period, one line each: who, what, which
/// bodies handle it, when it was received, promised and returned, and room for the citizen to sign on collecting the
/// result. As a CSV for spreadsheets and as the printed book.
/// </summary>
public static class Register
{
    public sealed record Entry(
        string Code, string Procedure, string? Applicant, string? Address, string? Phone, string Handlers, DateTimeOffset ReceivedAt,
        DateTimeOffset? DueAt, DateTimeOffset? NewDueAt, DateTimeOffset? ReturnedAt, string Status);

    private static readonly string[] Headers =
        ["STT", "Mã hồ sơ", "Thủ tục hành chính", "Người nộp", "Địa chỉ, số điện thoại", "Đơn vị giải quyết", "Ngày nhận",
            "Ngày hẹn trả", "Ngày trả kết quả", "Tình trạng", "Ký nhận kết quả"];

    private static string T(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(WorkingCalendar.Offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "";

    private static string D(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> Cells(Entry e, int i) =>
    [
        (i + 1).ToString(CultureInfo.InvariantCulture), e.Code, e.Procedure, e.Applicant ?? "",
        string.Join("; ", new[] { e.Address, e.Phone }.Where(s => s is { Length: > 0 })), e.Handlers, T(e.ReceivedAt),
        e.NewDueAt is { } n ? $"{T(e.DueAt)}\nhẹn lại {T(n)}" : T(e.DueAt), T(e.ReturnedAt), e.Status, "",
    ];

    public static Paper Of(Issuer unit, DateOnly from, DateOnly to, IReadOnlyList<Entry> entries, DateTimeOffset printedAt) =>
        new(unit, null, Decree30.PlaceAndDate(unit.Place, printedAt), "SỔ THEO DÕI HỒ SƠ",
            [
                new Table(
                    [new Column("STT", 0.8, Align.Center), new Column("Mã hồ sơ", 3.4), new Column("Thủ tục hành chính", 3.4),
                        new Column("Người nộp", 2.4), new Column("Địa chỉ, số điện thoại", 3.2), new Column("Đơn vị giải quyết", 2.6),
                        new Column("Ngày nhận", 1.9, Align.Center), new Column("Ngày hẹn trả", 2.1, Align.Center),
                        new Column("Ngày trả kết quả", 1.9, Align.Center), new Column("Tình trạng", 2), new Column("Ký nhận kết quả", 1.8)],
                    entries.Select(Cells).ToList()),
                Paragraph.Of($"Tổng số: {entries.Count} hồ sơ.", TextStyle.Italic, Align.Left),
            ],
            [], $"so-theo-doi-{from:yyyyMMdd}-{to:yyyyMMdd}.pdf")
        { Subtitle = $"Từ ngày {D(from)} đến ngày {D(to)}", Landscape = true };

    /// <summary>The same lines as CSV, cells escaped as every report's (formula-looking text neutralised).</summary>
    public static Hosting.Http.Csv.Table Csv(IReadOnlyList<Entry> entries)
    {
        var table = new Hosting.Http.Csv.Table([.. Headers.SkipLast(1)]);
        for (var i = 0; i < entries.Count; i++) table.Row([.. Cells(entries[i], i).SkipLast(1).Select(c => c.Replace('\n', ' '))]);
        return table;
    }
}
