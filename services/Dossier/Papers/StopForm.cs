using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Form 05 of Circular 03/2025, Phiếu dừng giải quyết hồ sơ: the body handling the dossier stops it and says why, signed
/// by its leader who decided it. The form is new with Circular 03/2025, so it is printed for dossiers of that rule set.
/// </summary>
public static class StopForm
{
    public static Paper Of(DossierView dossier, Issuer issuer, Issuer receiving, HistoryEntry stop, Signatory? signer)
    {
        List<Block> body = [.. ApplicantFields.Of(dossier, null)];
        body.Add(Paragraph.Field("Mã hồ sơ", dossier.Code));
        body.Add(Paragraph.Field("Ngày tiếp nhận", Decree30.TimeAndDate(dossier.ReceivedAt)));
        body.Add(Paragraph.Of($"{issuer.Called} dừng giải quyết hồ sơ nêu trên kể từ {Decree30.TimeAndDate(stop.At)}, với lý do: "
            + RefusalForm.Sentence(stop.Note ?? dossier.Reason), indent: true));
        body.Add(Paragraph.Of($"Ông/Bà liên hệ {ApplicantFields.CounterOf(receiving)} để nhận lại hồ sơ./.", indent: true));
        return new Paper(
            issuer, $"Mã hồ sơ: {dossier.Code}", Decree30.PlaceAndDate(issuer.Place, stop.At),
            "PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ", body,
            [new Signature(Decree30.Capacity(issuer, signer), null, signer?.Name ?? stop.ActorName)], $"mau-05-{dossier.Code}.pdf")
        {
            FormLabel = "Mẫu số 05", Subtitle = $"Kính gửi: Ông/Bà {dossier.Applicant.FullName}",
            Recipients = [$"- Ông/Bà {dossier.Applicant.FullName};", $"- {ApplicantFields.CounterOf(receiving)};", "- Lưu: VT."],
        };
    }
}
