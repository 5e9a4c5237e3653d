using System.Security.Cryptography.X509Certificates;

namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// What a unit can sign with at one moment: the answer to "is there a signer for this unit?" that a renderer asks
/// before it draws, so an unsigned paper carries its <see cref="Notice"/>, and the credential it then signs with.
/// <see cref="Credential"/> is kept for an expired or not yet valid certificate too, so the admin sees whose it is.
/// </summary>
public sealed record UnitSigner(Guid UnitId, SignerState State, SigningCredential? Credential, string? File, string? Problem)
{
    public bool CanSign => State == SignerState.Ready && Credential is not null;

    /// <summary>The line to print on the paper when it goes out unsigned; null when it will be signed.</summary>
    public string? Notice => CanSign ? null : State.Notice();

    public X509Certificate2? Certificate => Credential?.Certificate;

    public static UnitSigner Missing(Guid unitId) => new(unitId, SignerState.Missing, null, null, null);
}
