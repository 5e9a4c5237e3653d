using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Form 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ: the reasons, in writing, why the dossier is not taken up: an online
/// registration refused at the counter, or a dossier returned as ineligible by the leader who decided it.
/// </summary>
public static class RefusalForm
{
    public static Paper Of(DossierView dossier, Issuer issuer, HistoryEntry refusal, Signatory? signer)
    {
        List<Block> body = [.. ApplicantFields.Of(dossier, null)];
        body.Add(Paragraph.Of($"Sau khi xem xét, đối chiếu hồ sơ với quy định hiện hành, {issuer.Called} từ chối tiếp nhận, giải quyết hồ sơ "
            + $"này với lý do: {Sentence(refusal.Note ?? dossier.Reason)}", indent: true));
        body.Add(Paragraph.Of("Xin thông báo để Ông/Bà được biết và thực hiện./.", indent: true));
        // Refused at the counter: the officer signs as the receiver. Returned as ineligible: the leader signs for the body.
        var signature = refusal.Action == "refuse"
            ? new Signature(["NGƯỜI TIẾP NHẬN HỒ SƠ"], "(Ký và ghi rõ họ tên)", signer?.Name ?? refusal.ActorName)
            : new Signature(Decree30.Capacity(issuer, signer), null, signer?.Name ?? refusal.ActorName);
        return new Paper(
            issuer, $"Mã hồ sơ: {dossier.Code}", Decree30.PlaceAndDate(issuer.Place, refusal.At),
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", body, [signature], $"mau-03-{dossier.Code}.pdf")
        {
            FormLabel = "Mẫu số 03", Subtitle = $"Kính gửi: Ông/Bà {dossier.Applicant.FullName}",
            Recipients = refusal.Action == "refuse" ? [] : [$"- Ông/Bà {dossier.Applicant.FullName};", "- Lưu: VT."],
        };
    }

    public static string Sentence(string? text) =>
        text is not { Length: > 0 } t ? "……………………" : t.Trim().EndsWith('.') ? t.Trim() : t.Trim() + ".";
}
