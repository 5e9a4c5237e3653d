using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Lateness;
using MotCua.Dossier.Papers;
using MotCua.Dossier.Procedures;

namespace MotCua.UnitTests.Papers;

/// <summary>Every paper the platform prints, filled as a commune's counter would fill it (names with every tone).</summary>
public static class SamplePapers
{
    public static readonly Issuer Commune = Decree30.IssuerOf("Xã Phong Thái", "commune", "Thành phố Huế", "province");
    public static readonly Issuer LandOffice = Decree30.IssuerOf("Chi nhánh Văn phòng đăng ký đất đai Phong Điền", "agency", "Thành phố Huế", "province");

    public static readonly DossierView Dossier = new(
        Guid.NewGuid(), "000.00.06.H57-310317-0007", "processing", "1.004873.000.00.00.H57", Guid.NewGuid(), "counter",
        new Applicant("Nguyễn Văn Trễ", "046085001122", "0912345678", "tre@example.vn", "Thôn Phò Ninh, xã Phong Thái, thành phố Huế"),
        ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "Bản sao Giấy chứng nhận đăng ký kết hôn (đã ly hôn)"],
        DateTimeOffset.Parse("2031-03-17T02:15:00Z"), DateTimeOffset.Parse("2031-03-19T09:00:00Z"), null, 4,
        [new DossierStep(0, "Tiếp nhận", "counter", 2, null, DateTimeOffset.Parse("2031-03-17T04:00:00Z"), DateTimeOffset.Parse("2031-03-17T02:15:00Z"), null, null)],
        "Cấp Giấy xác nhận tình trạng hôn nhân", 1, "ND118-2025", Reason: "Thiếu bản sao giấy chứng tử của người vợ trước");

    public static readonly Apology Apology = new("2031-0012", DateTimeOffset.Parse("2031-03-19T01:30:00Z"), "", Dossier.UnitId,
        "Thẩm định, xác minh", null, DateTimeOffset.Parse("2031-03-19T09:00:00Z"), DateTimeOffset.Parse("2031-03-24T09:00:00Z"), true);

    public static readonly Procedure Procedure = new("1.004873.000.00.00.H57", 1, "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", "commune",
        new ProcessingTime(3, ProcessingTime.WorkingDays), 0, [], false, null, []);

    public static readonly Signatory Chair = new("Hoàng Thị Ngọc Ánh", "Chủ tịch UBND");
    public static readonly Signatory Officer = new("Trần Thị Thủy Tiên", "Công chức Tư pháp - Hộ tịch");

    private static HistoryEntry Row(string action, string note) =>
        new(DateTimeOffset.Parse("2031-03-18T03:00:00Z"), action, Guid.NewGuid(), "tien.ttt", note, Dossier.UnitId, Dossier.UnitId);

    public static readonly IReadOnlyDictionary<string, Paper> All = new Dictionary<string, Paper>
    {
        ["letter-118"] = ApologyLetter.Of(Dossier, Apology, Commune, Chair, Commune),
        ["letter-61"] = ApologyLetter.Of(Dossier with { RuleSet = "ND61-2018" }, Apology with { Automatic = false, Reason = "Cần xác minh thêm tại nơi cư trú trước đây" },
            LandOffice, new Signatory("Phan Văn Địa", "Phó Giám đốc"), Commune),
        ["form-01"] = ReceiptForm.Of(Dossier, Procedure, Commune, ApplicantFields.CounterOf(Commune), Officer, DossierQr.Of("https://motcua.example.vn", Dossier.Code)),
        ["form-02"] = SupplementRequestForm.Of(Dossier, Commune, Row("request-supplement", "Bản sao giấy chứng tử của người vợ trước\nXác nhận nơi cư trú"), Officer),
        ["form-03"] = RefusalForm.Of(Dossier with { Status = "refused" }, Commune, Row("refuse", "Hồ sơ không thuộc thẩm quyền giải quyết của xã"), Officer),
        ["form-05"] = StopForm.Of(Dossier with { Status = "stopped" }, Commune, Commune, Row("stop", "Người nộp đề nghị dừng để bổ sung giấy tờ gốc"), Chair),
        ["control-sheet"] = ControlSheetPaper.Of(Dossier, Commune,
            [new ControlSheetPaper.Line(Dossier.ReceivedAt, "receive", "Trần Thị Thủy Tiên", "Xã Phong Thái", "Trần Thị Thủy Tiên", "Xã Phong Thái", "Tiếp nhận", Dossier.Steps[0].DueAt, null, null),
                new ControlSheetPaper.Line(Dossier.ReceivedAt.AddHours(1), "transfer", "Trần Thị Thủy Tiên", "Xã Phong Thái", "Lê Quốc Khải", "Chi nhánh Văn phòng đăng ký đất đai Phong Điền", "Thẩm định, xác minh", Dossier.DueAt, "early", "Chuyển liên thông"),
                new ControlSheetPaper.Line(Dossier.DueAt!.Value, "overdue", "MotCua (tự động)", null, null, null, "Thẩm định, xác minh", Dossier.DueAt, "late", null)],
            DateTimeOffset.Parse("2031-03-20T08:00:00Z")),
        ["register"] = Register.Of(Commune, new DateOnly(2031, 3, 1), new DateOnly(2031, 3, 31),
            [new Register.Entry(Dossier.Code, "Cấp Giấy xác nhận tình trạng hôn nhân", "Nguyễn Văn Trễ", "Thôn Phò Ninh", "0912345678",
                "Chi nhánh Văn phòng đăng ký đất đai Phong Điền", Dossier.ReceivedAt, Dossier.DueAt, DateTimeOffset.Parse("2031-03-24T09:00:00Z"), null, "Đang xử lý")],
            DateTimeOffset.Parse("2031-04-01T02:00:00Z")),
    };

    /// <summary>A page printing all 134 letters in each face, through the same renderer as every paper.</summary>
    public static Paper Specimen()
    {
        var letters = new string([.. VietnameseLetters.All]);
        return new Paper(Commune, "Số: 01/TB-UBND", Decree30.PlaceAndDate(Commune.Place, DateTimeOffset.Parse("2031-02-05T02:00:00Z")),
            "BẢNG CHỮ TIẾNG VIỆT", [.. Enum.GetValues<TextStyle>().Select(style => (Block)Paragraph.Of(letters, style, Align.Left))], [], "chu.pdf");
    }
}
