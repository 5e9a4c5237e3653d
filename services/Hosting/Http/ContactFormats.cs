using System.Text.RegularExpressions;

namespace MotCua.Hosting.Http;

/// <summary>
/// What a phone number and an e-mail address must look like wherever a person's contact is taken (a citizen's at intake
/// and in feedback, an official's in Personnel): one definition, so an address accepted in one place is never refused in another.
/// </summary>
public static partial class ContactFormats
{
    /// <summary>A Vietnamese mobile number (số di động): 0 or +84, a mobile prefix 3, 5, 7, 8 or 9, eight digits.</summary>
    [GeneratedRegex(@"^(0|\+84)(3|5|7|8|9)[0-9]{8}\z")]
    public static partial Regex VietnamesePhone();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    public static partial Regex Email();

    public const int EmailMaxLength = 200;
}
