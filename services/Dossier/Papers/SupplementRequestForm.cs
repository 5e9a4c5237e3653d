using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: everything missing, asked for once (Decree 61), with the reason,
/// signed by the official who guides the citizen.
/// </summary>
public static class SupplementRequestForm
{
    /// <param name="request">The control sheet's row of the request: when, by whom, and what it asked.</param>
    public static Paper Of(DossierView dossier, Issuer receiving, HistoryEntry request, Signatory? guide)
    {
        List<Block> body = [.. ApplicantFields.Of(dossier, ApplicantFields.CounterOf(receiving))];
        body.Add(Paragraph.Of("Yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", align: Align.Left));
        foreach (var (line, i) in (request.Note ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((l, i) => (l, i)))
            body.Add(Paragraph.Of($"{i + 1}. {line}", indent: true));
        body.Add(Paragraph.Of("Thời gian đã giải quyết hồ sơ vẫn được tính: khi Ông/Bà nộp bổ sung, thời hạn giải quyết tiếp tục từ lúc dừng, "
            + "không tính lại từ đầu.", indent: true));
        body.Add(Paragraph.Of($"Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ {ApplicantFields.CounterOf(receiving)} "
            + "để được hướng dẫn.", indent: true));
        return new Paper(
            receiving, $"Mã hồ sơ: {dossier.Code}", Decree30.PlaceAndDate(receiving.Place, request.At),
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", body,
            [new Signature(["NGƯỜI NỘP HỒ SƠ"], "(Ký và ghi rõ họ tên)", dossier.Applicant.FullName),
                new Signature(["NGƯỜI HƯỚNG DẪN"], "(Ký và ghi rõ họ tên)", guide?.Name ?? request.ActorName)],
            $"mau-02-{dossier.Code}.pdf")
        { FormLabel = "Mẫu số 02" };
    }
}

/// <summary>One row of the control sheet as the papers read it (dossier_history).</summary>
public sealed record HistoryEntry(DateTimeOffset At, string Action, Guid ActorId, string ActorName, string? Note, Guid? FromUnitId, Guid? ToUnitId);
