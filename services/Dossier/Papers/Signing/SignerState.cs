namespace MotCua.Dossier.Papers.Signing;

/// <summary>Whether a unit can sign its papers now, and if not, why: the admin's list and the paper's notice both say it.</summary>
public enum SignerState
{
    /// <summary>A certificate with its private key, valid now.</summary>
    Ready,

    /// <summary>No PKCS#12 for the unit (chưa cấu hình chứng thư số).</summary>
    Missing,

    Expired,

    NotYetValid,

    /// <summary>There is a file, but it cannot sign: wrong password, damaged, no private key, or a certificate not meant for signing.</summary>
    Unusable,
}

public static class SignerStates
{
    /// <summary>The word the API uses.</summary>
    public static string Name(this SignerState state) => state switch
    {
        SignerState.Ready => "ready",
        SignerState.Missing => "missing",
        SignerState.Expired => "expired",
        SignerState.NotYetValid => "not_yet_valid",
        _ => "unusable",
    };

    public static readonly string[] Names = [.. Enum.GetValues<SignerState>().Select(Name)];

    /// <summary>
    /// The line an unsigned paper prints, so a citizen or an official holding it knows it carries no digital signature
    /// and why; null for a unit that signs.
    /// </summary>
    public static string? Notice(this SignerState state) => state switch
    {
        SignerState.Ready => null,
        SignerState.Missing => "Bản không có chữ ký số: đơn vị chưa cấu hình chứng thư số",
        SignerState.Expired => "Bản không có chữ ký số: chứng thư số của đơn vị đã hết hạn",
        SignerState.NotYetValid => "Bản không có chữ ký số: chứng thư số của đơn vị chưa có hiệu lực",
        _ => "Bản không có chữ ký số: chứng thư số của đơn vị không dùng được",
    };

    /// <summary>The notice when the unit had a signer but signing this paper failed.</summary>
    public const string FailedNotice = "Bản không có chữ ký số: ký số không thành công, đề nghị in lại sau";
}
