namespace MotCua.Dossier.Papers.Signing;

/// <summary>
/// The <c>Signing</c> section. <see cref="Directory"/> holds one PKCS#12 per unit (chứng thư số của cơ quan): named
/// <c>{unit code}.p12</c> or <c>{unit id}.p12</c>, its password in <c>{same name}.password</c> beside it. A folder of
/// files because that is what both deployments hand a container: a bind-mounted folder in docker compose, a Secret
/// mounted as a volume in Kubernetes (one key a file). Unset: no unit has a signer, and every paper says so.
/// </summary>
public sealed class SigningOptions
{
    public string? Directory { get; set; }

    /// <summary>Development only: the local certificate authority that issues a unit its certificate on first need.</summary>
    public DevelopmentAuthorityOptions DevelopmentAuthority { get; set; } = new();
}

/// <summary>
/// <c>Signing:DevelopmentAuthority:Certificate</c> (a PKCS#12 holding the CA's certificate and key) and
/// <c>:Password</c>. Only <c>deploy/local/up.sh</c> sets them; a production installation never does.
/// </summary>
public sealed class DevelopmentAuthorityOptions
{
    public string? Certificate { get; set; }

    public string? Password { get; set; }
}
