namespace MotCua.Notification.Deliveries;

/// <summary>Recipients are shown masked everywhere (<c>0912***678</c>), so the log leaks no contact details.</summary>
public static class Masking
{
    public static string Phone(string phone) =>
        phone.Length <= 7 ? new string('*', phone.Length) : phone[..4] + "***" + phone[^3..];

    public static string Email(string email)
    {
        var at = email.IndexOf('@');
        return at <= 1 ? "***" + email[Math.Max(at, 0)..] : email[0] + "***" + email[at..];
    }
}
