namespace MotCua.Personnel.Accounts;

/// <summary>
/// The rules for a log-in name and a password, in one place for accounts made with an official, the installation's
/// admin, a change by the official and a reset by an admin.
/// </summary>
public static class Credentials
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 200;
    public const int MaxUsernameLength = 60;

    /// <summary>
    /// The one spelling the database compares (its unique index is on <c>lower(btrim(username))</c>): <c>Admin</c> and
    /// <c>admin </c> are the same account.
    /// </summary>
    public static string Normalise(string username) => username.Trim(' ').ToLowerInvariant();

    /// <summary>The same comparison in SQL, for the name in <paramref name="parameter"/>: the database's own trim and lower.</summary>
    public static string Matches(string parameter) => $"lower(btrim(a.username)) = lower(btrim({parameter}))";

    /// <summary>Letters without marks, digits and <c>. _ - @</c>: what every keyboard types and every log shows plainly.</summary>
    public static void CheckUsername(FieldErrors errors, string field, string? username)
    {
        var name = username?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(field, "Required.");
        else if (name.Length < 3 || name.Length > MaxUsernameLength) errors.Add(field, $"From 3 to {MaxUsernameLength} characters.");
        else if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            errors.Add(field, "Only letters without marks, digits and . _ - @.");
    }

    public static void CheckPassword(FieldErrors errors, string field, string? password, string? username)
    {
        if (string.IsNullOrEmpty(password)) errors.Add(field, "Required.");
        else if (password.Length < MinPasswordLength) errors.Add(field, $"At least {MinPasswordLength} characters.");
        else if (password.Length > MaxPasswordLength) errors.Add(field, $"At most {MaxPasswordLength} characters.");
        else if (password.Any(char.IsControl)) errors.Add(field, "No control characters.");
        else if (username is { Length: > 0 } name && password.Contains(name.Trim(), StringComparison.OrdinalIgnoreCase))
            errors.Add(field, "Must not contain the username.");
    }

    public static string Hash(string username, string password) =>
        new Microsoft.AspNetCore.Identity.PasswordHasher<string>().HashPassword(Normalise(username), password);

    public static bool Verify(string username, string hash, string password) =>
        new Microsoft.AspNetCore.Identity.PasswordHasher<string>().VerifyHashedPassword(Normalise(username), hash, password)
            != Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed;
}
