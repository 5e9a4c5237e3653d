using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Lateness;

namespace MotCua.Dossier.Papers;

/// <summary>
/// The apology (docs/domain.md §4), in the name of the body at fault and signed by its head: Form 04 "Phiếu xin lỗi và
/// hẹn lại ngày trả kết quả" under Decree 61, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" (Circular
/// 03/2025) for a dossier handled under Decree 118. The one-stop counter that received the dossier is told in writing,
/// so it is among the recipients.
/// </summary>
public static class ApologyLetter
{
    /// <summary>Ký hiệu: the kind of paper in its number, "Số: 12/XL-UBND".</summary>
    public const string Kind = "XL";

    public static Paper Of(DossierView dossier, Apology apology, Issuer atFault, Signatory? signer, Issuer receiving)
    {
        var decree118 = dossier.RuleSet == "ND118-2025";
        var name = dossier.Applicant.FullName ?? "";
        var body = atFault.Called;
        var procedure = dossier.ProcedureName ?? dossier.ProcedureCode;
        List<Block> paragraphs =
        [
            Paragraph.Of($"{Capitalised(body)} đã tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ {dossier.Code}, về thủ tục {procedure}. "
                + $"Thời gian hẹn trả kết quả giải quyết hồ sơ: {Decree30.TimeAndDate(apology.PreviousDueAt)}.", indent: true),
            Paragraph.Of($"Tuy nhiên, đến nay {body} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn ghi trên Giấy tiếp nhận hồ sơ "
                + $"và hẹn trả kết quả. Lý do: {ReasonFor(apology)}", indent: true),
            Paragraph.Of($"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {Capitalised(body)} xin lỗi Ông/Bà và "
                + (decree118 ? "đề nghị gia hạn thời gian giải quyết hồ sơ, " : "")
                + $"hẹn trả kết quả vào {Decree30.TimeAndDate(apology.NewDueAt)}.", indent: true),
            Paragraph.Of("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.", indent: true),
        ];
        List<string> recipients = [$"- Ông/Bà {name};"];
        recipients.Add($"- {ApplicantFields.CounterOf(receiving)};");
        recipients.Add("- Lưu: VT.");
        return new Paper(
            atFault,
            Decree30.Number(SequenceOf(apology.Number), Kind, atFault),
            // A draft is dated when drafted; the leader's signature dates the issued letter.
            Decree30.PlaceAndDate(atFault.Place, apology.IssuedAt ?? apology.DraftedAt ?? apology.PreviousDueAt),
            decree118 ? "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" : "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            paragraphs,
            [new Signature(Decree30.Capacity(atFault, signer), null, signer?.Name)],
            $"xin-loi-{dossier.Code}-{apology.Number}.pdf")
        {
            FormLabel = decree118 ? null : "Mẫu số 04",
            Subtitle = $"Kính gửi: Ông/Bà {name}",
            Recipients = recipients,
        };
    }

    /// <summary>
    /// What the citizen reads as the reason. A reason typed by an official is written for the citizen and kept; the
    /// sweeper's is an internal note naming the step, so the letter says it once, in words.
    /// </summary>
    private static string ReasonFor(Apology apology)
    {
        var reason = apology.Automatic
            ? $"khâu {Lowered(apology.ResponsibleStep)} chưa hoàn thành đúng thời hạn"
            : apology.Reason.Trim();
        return reason.EndsWith('.') ? reason : reason + ".";
    }

    /// <summary>The letter's place in the body's book: "2027-0012" is the twelfth of 2027.</summary>
    public static int SequenceOf(string number) =>
        int.TryParse(number[(number.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Lowered(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];
}
