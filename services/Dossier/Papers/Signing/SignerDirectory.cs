using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// The folder of units' PKCS#12 files (<see cref="SigningOptions.Directory"/>), read as it is at every look-up: an
/// operator drops a file in, a Kubernetes Secret is updated under a running pod, and the next paper follows without a
/// restart. A file is parsed again only when its bytes or its password change.
/// </summary>
public sealed class SignerDirectory(IOptions<SigningOptions> options)
{
    private sealed record Loaded(byte[] Fingerprint, SigningCredential? Credential, string? Problem);

    private readonly ConcurrentDictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);

    public string? Folder => string.IsNullOrWhiteSpace(options.Value.Directory) ? null : options.Value.Directory;

    /// <summary>
    /// The unit's signer as of <paramref name="now"/> (the platform's clock): <c>{code}.p12</c> first, the name an operator
    /// knows the unit by, then <c>{id}.p12</c>, which survives a change of code.
    /// </summary>
    public UnitSigner Find(Guid unitId, string? code, DateTimeOffset now)
    {
        if (Folder is not { } folder) return UnitSigner.Missing(unitId);
        foreach (var name in FileNames(unitId, code))
        {
            var file = Path.Combine(folder, name + ".p12");
            byte[] pkcs12;
            string? password;
            try
            {
                if (!File.Exists(file)) continue;
                pkcs12 = File.ReadAllBytes(file);
                password = ReadPassword(Path.Combine(folder, name + ".password"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new UnitSigner(unitId, SignerState.Unusable, null, name + ".p12", "Không đọc được tệp: " + e.Message);
            }
            var loaded = Load(file, pkcs12, password);
            if (loaded.Credential is not { } credential) return new UnitSigner(unitId, SignerState.Unusable, null, name + ".p12", loaded.Problem);
            var certificate = credential.Certificate;
            var state = now < certificate.NotBefore.ToUniversalTime() ? SignerState.NotYetValid
                : now > certificate.NotAfter.ToUniversalTime() ? SignerState.Expired
                : SignerState.Ready;
            return new UnitSigner(unitId, state, credential, name + ".p12", null);
        }
        return UnitSigner.Missing(unitId);
    }

    /// <summary>
    /// The file names tried for a unit. A code is used only if it is a plain file name (Personnel allows letters, digits and
    /// <c>. _ -</c>; a leading dot is refused here too), so nothing stored in the directory copy can point elsewhere.
    /// </summary>
    public static IEnumerable<string> FileNames(Guid unitId, string? code)
    {
        if (IsPlainName(code)) yield return code!;
        yield return unitId.ToString();
    }

    public static bool IsPlainName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 100 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The password file's text without its final line break (an editor's or <c>echo</c>'s); no file: no password.</summary>
    private static string? ReadPassword(string file) =>
        File.Exists(file) ? File.ReadAllText(file, Encoding.UTF8).TrimEnd('\r', '\n') : null;

    private Loaded Load(string file, byte[] pkcs12, string? password)
    {
        var fingerprint = SHA256.HashData([.. pkcs12, 0, .. Encoding.UTF8.GetBytes(password ?? "")]);
        if (_loaded.TryGetValue(file, out var known) && known.Fingerprint.AsSpan().SequenceEqual(fingerprint)) return known;
        Loaded fresh;
        try
        {
            fresh = new Loaded(fingerprint, SigningCredential.Load(pkcs12, password), null);
        }
        catch (CryptographicException e)
        {
            fresh = new Loaded(fingerprint, null, e.Message);
        }
        _loaded[file] = fresh;
        return fresh;
    }
}
