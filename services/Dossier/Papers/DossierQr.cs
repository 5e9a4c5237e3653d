using QRCoder;

namespace MotCua.Dossier.Papers;

/// <summary>
/// The QR code printed on the papers a citizen keeps: the dossier's public page, <c>/tra-cuu?ma={code}</c> on the
/// platform's public address (<c>Papers:PublicBaseUrl</c>). The citizen's secret will join the address when the receipt
/// carries one (a later issue): <see cref="PageOf"/> is the one place that builds it.
/// </summary>
public static class DossierQr
{
    public static string PageOf(string publicBaseUrl, string code) =>
        $"{publicBaseUrl.TrimEnd('/')}/tra-cuu?ma={Uri.EscapeDataString(code)}";

    public static PaperQr Of(string publicBaseUrl, string code)
    {
        var url = PageOf(publicBaseUrl, code);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        IReadOnlyList<IReadOnlyList<bool>> modules = [.. data.ModuleMatrix.Select(row => (IReadOnlyList<bool>)[.. row.Cast<bool>()])];
        return new PaperQr(modules, new PngByteQRCode(data).GetGraphic(8), url, "Quét mã để tra cứu tình trạng hồ sơ:");
    }
}
