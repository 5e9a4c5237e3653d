using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using PdfSharp.Pdf.Signatures;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// Signs a finished PDF with PDFsharp 6.2's own signing (<see cref="DigitalSignatureHandler"/>): the document is opened
/// and written anew with an invisible signature field whose /ByteRange covers the whole file but the signature itself.
/// A full rewrite, not an incremental update, which is sound only because the paper has just been rendered and carries
/// no earlier signature to preserve.
/// </summary>
public static class PdfSigner
{
    public static async Task<byte[]> SignAsync(byte[] pdf, SigningCredential credential, SignatureDetails details, DateTimeOffset at)
    {
        using var input = new MemoryStream(pdf, writable: false);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        // No rectangle: the field is invisible; what the page shows of the signer is the renderer's to draw.
        DigitalSignatureHandler.ForDocument(document, new CmsDetachedSigner(credential, at), new DigitalSignatureOptions
        {
            Reason = details.Reason,
            Location = details.Location,
            AppName = "MotCua",
        });
        // PDFsharp 6.2.4's own Flate streams lack the zlib checksum (PaperFonts.Complete): the streams stay as they came.
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        using var output = new MemoryStream(pdf.Length + credential.SignatureSize * 2 + 4096);
        await document.SaveAsync(output);
        return output.ToArray();
    }
}
