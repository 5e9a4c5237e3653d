namespace MotCua.Hosting.Security;

/// <summary>
/// Contact details shown masked (<c>0912***678</c>) wherever they must appear at all: the delivery log,
/// dashboards, a viewer's copy of a dossier.
/// </summary>
public static class Masking
{
    public static string Phone(string phone) =>
        phone.Length <= 7 ? new string('*', phone.Length) : phone[..4] + "***" + phone[^3..];

    /// <summary>A citizen id (CCCD) keeps its first three digits (the province of birth) and the last two.</summary>
    public static string CitizenId(string idNumber) =>
        idNumber.Length <= 5 ? new string('*', idNumber.Length) : idNumber[..3] + new string('*', idNumber.Length - 5) + idNumber[^2..];

    public static string Email(string email)
    {
        var at = email.IndexOf('@');
        return at <= 1 ? "***" + email[Math.Max(at, 0)..] : email[0] + "***" + email[at..];
    }
}
