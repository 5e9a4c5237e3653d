using System.Diagnostics;
using System.Text;

namespace MotCua.Tests.Support;

/// <summary>
/// Poppler's command-line tools (poppler-utils, installed by deploy/local/infra.sh): pdfsig validates a PDF's signatures
/// as a reader outside the platform would, pdftotext reads what a page says.
/// </summary>
public static class PdfTools
{
    public static async Task<(int Exit, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start: install it (deploy/local/infra.sh).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience.Of(TimeSpan.FromSeconds(60)));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>
    /// pdfsig's report on <paramref name="pdf"/>, trusting only the certificates in <paramref name="nssDatabase"/>. Without
    /// <c>-no-ocsp</c>: poppler 22.12 then reports every certificate as "Unknown issue with Certificate or corrupted data";
    /// the test certificates name no OCSP responder, so nothing is fetched anyway.
    /// </summary>
    public static async Task<string> SignaturesAsync(string pdf, string nssDatabase) =>
        (await RunAsync("pdfsig", "-nssdir", nssDatabase, pdf)).Output;

    /// <summary>The page's text as pdftotext reads it.</summary>
    public static async Task<string> TextAsync(string pdf)
    {
        var (exit, output) = await RunAsync("pdftotext", "-enc", "UTF-8", pdf, "-");
        if (exit != 0) throw new InvalidOperationException($"pdftotext {pdf}: {output}");
        return output;
    }

    /// <summary>
    /// A fresh NSS database (what pdfsig validates against) in <paramref name="folder"/> that trusts <paramref name="caPem"/>
    /// to issue signing certificates, and nothing else; returns its <c>sql:</c> path.
    /// </summary>
    public static async Task<string> TrustStoreAsync(string folder, string caPem)
    {
        Directory.CreateDirectory(folder);
        var ca = Path.Combine(folder, "ca.pem");
        await File.WriteAllTextAsync(ca, caPem);
        var database = "sql:" + folder;
        foreach (var command in new[] { new[] { "-N", "-d", database, "--empty-password" }, ["-A", "-d", database, "-n", "motcua-test-ca", "-t", "CT,C,C", "-i", ca] })
        {
            var (exit, output) = await RunAsync("certutil", command);
            if (exit != 0) throw new InvalidOperationException($"certutil {string.Join(' ', command)}: {output}");
        }
        return database;
    }
}
