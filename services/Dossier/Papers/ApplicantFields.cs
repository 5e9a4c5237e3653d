using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Papers;

/// <summary>The lines every counter form fills about whom the dossier is from and what it asks (Forms 01, 02, 03, 05).</summary>
public static class ApplicantFields
{
    public static IEnumerable<Block> Of(DossierView dossier, string? counterName)
    {
        if (counterName is not null) yield return Paragraph.Field("Bộ phận tiếp nhận và trả kết quả", counterName);
        yield return Paragraph.Field("Tiếp nhận hồ sơ của", dossier.Applicant.FullName);
        yield return Paragraph.Field("Số định danh cá nhân (CCCD)", dossier.Applicant.IdNumber);
        yield return Paragraph.Field("Địa chỉ", dossier.Applicant.Address);
        yield return new Paragraph([
            new Run("Số điện thoại: "), new Run(dossier.Applicant.Phone is { Length: > 0 } phone ? phone : "……………………", TextStyle.Bold),
            new Run("   Email: "), new Run(dossier.Applicant.Email is { Length: > 0 } email ? email : "……………………", TextStyle.Bold)], Align.Left);
        yield return Paragraph.Field("Nội dung yêu cầu giải quyết", dossier.ProcedureName ?? dossier.ProcedureCode);
    }

    /// <summary>"Bộ phận Một cửa Ủy ban nhân dân xã Phong Thái": the counter of a receiving body, in a sentence.</summary>
    public static string CounterOf(Issuer receiving) => $"Bộ phận Một cửa {receiving.Called}";
}
