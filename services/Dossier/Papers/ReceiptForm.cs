using System.Globalization;
using MotCua.Contracts;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả: what the counter hands the citizen at reception, with who they are,
/// the papers received, the statutory time, the appointment, the fee, where the result is returned, both signatures and
/// the QR code of the dossier's public page.
/// </summary>
public static class ReceiptForm
{
    public static Paper Of(
        DossierView dossier, Procedure procedure, Issuer receiving, string returnPlace, Signatory? receiver, PaperQr qr)
    {
        var papers = dossier.Papers.Select((paper, i) => (IReadOnlyList<string>)
            [(i + 1).ToString(CultureInfo.InvariantCulture), paper, "", "", ""]).ToList();
        if (papers.Count == 0) papers.Add(["", "(không có giấy tờ kèm theo)", "", "", ""]);
        var due = dossier.NewDueAt ?? dossier.DueAt;
        List<Block> body = [.. ApplicantFields.Of(dossier, ApplicantFields.CounterOf(receiving))];
        body.Add(Paragraph.Of("1. Thành phần hồ sơ nộp gồm:", align: Align.Left));
        // Bản chính, bản sao: the officer ticks them on the paper while the dossier does not record them.
        body.Add(new Table(
            [new Column("STT", 1, Align.Center), new Column("Tên giấy tờ", 8), new Column("Bản chính", 2, Align.Center),
                new Column("Bản sao", 2, Align.Center), new Column("Số lượng", 2, Align.Center)],
            papers));
        body.Add(Paragraph.Field("2. Số lượng hồ sơ", "01 bộ"));
        body.Add(Paragraph.Field("3. Thời gian giải quyết hồ sơ theo quy định", StatutoryTime(procedure)));
        body.Add(Paragraph.Field("4. Thời gian nhận hồ sơ", Decree30.TimeAndDate(dossier.ReceivedAt)));
        body.Add(Paragraph.Field("5. Thời gian trả kết quả giải quyết hồ sơ", due is { } d ? Decree30.TimeAndDate(d) : null));
        body.Add(Paragraph.Field("6. Phí, lệ phí", Fee(procedure.Fees)));
        body.Add(Paragraph.Field("7. Nhận kết quả", $"{ReturnMethod(dossier.Channel)} tại {returnPlace}"));
        return new Paper(
            receiving, $"Mã hồ sơ: {dossier.Code}", Decree30.PlaceAndDate(receiving.Place, dossier.ReceivedAt),
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", body,
            [new Signature(["NGƯỜI NỘP HỒ SƠ"], "(Ký và ghi rõ họ tên)", dossier.Applicant.FullName),
                new Signature(["NGƯỜI TIẾP NHẬN HỒ SƠ"], "(Ký và ghi rõ họ tên)", receiver?.Name)],
            $"mau-01-{dossier.Code}.pdf")
        { FormLabel = "Mẫu số 01", Qr = qr };
    }

    public static string StatutoryTime(Procedure procedure) => procedure.ProcessingTime.Unit == ProcessingTime.WorkingDays
        ? $"{procedure.ProcessingTime.Value:0.#} ngày làm việc"
        : $"{procedure.ProcessingTime.Value:0.#} giờ làm việc";

    /// <summary>"2.000 đồng", as Vietnamese writes thousands; a procedure without one says so.</summary>
    public static string Fee(decimal fees) => fees > 0
        ? fees.ToString("#,0", CultureInfo.GetCultureInfo("vi-VN")) + " đồng"
        : "Không thu phí, lệ phí";

    /// <summary>How the result reaches the citizen: by the public postal service for a postal dossier, at the counter otherwise.</summary>
    public static string ReturnMethod(string channel) => channel switch
    {
        SubmissionChannels.Postal => "Qua dịch vụ bưu chính công ích, gửi từ Bộ phận Một cửa",
        SubmissionChannels.Online => "Trực tuyến và bản giấy trực tiếp",
        _ => "Trực tiếp",
    };
}
