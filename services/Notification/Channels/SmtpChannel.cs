using MotCua.Contracts;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MotCua.Notification.Channels;

/// <summary>
/// How to reach the province's mail server: <c>Notification:Smtp:Host</c>, <c>:Port</c>, <c>:From</c>, <c>:Security</c>
/// (<c>none</c>, <c>starttls</c> or <c>tls</c> for TLS from the first byte; the older <c>:EnableSsl=true</c> means
/// <c>starttls</c>), and <c>:User</c> with <c>:Password</c> when the server asks for a log-in.
/// </summary>
public sealed record SmtpSettings(string Host, int Port, string From, SecureSocketOptions Security, string? User, string? Password)
{
    public static SmtpSettings Of(IConfiguration section)
    {
        var security = section["Security"]?.Trim().ToLowerInvariant() switch
        {
            null or "" => section.GetValue("EnableSsl", false) ? SecureSocketOptions.StartTls : SecureSocketOptions.None,
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
            var other => throw new InvalidOperationException(
                $"Notification:Smtp:Security is '{other}'; it must be none, starttls or tls."),
        };
        return new(section["Host"]!, section.GetValue("Port", security == SecureSocketOptions.SslOnConnect ? 465 : 25),
            section["From"] ?? "motcua@localhost", security, section["User"], section["Password"]);
    }
}

/// <summary>
/// E-mail over SMTP with MailKit, UTF-8 throughout. A 5xx about this message (a mailbox that does not exist, a message the
/// server will not take) refuses it for good and is recorded with the server's answer; so is an address that is not one.
/// A 4xx or a dropped connection may pass and is retried. A refused log-in or sender is the installation's to fix, not
/// the message's: it fails like a server that is down, counts towards resting the channel, and the message is retried
/// on the delivery log's schedule rather than given up at once with every other one queued behind it.
/// </summary>
public sealed class SmtpChannel(SmtpSettings settings) : IChannel
{
    public string Name => NotificationChannels.Email;

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(message.Recipient, out var recipient)) throw new PermanentRefusal("Not an e-mail address the mail server can take.");
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(recipient);
        mail.Subject = message.Subject ?? message.DossierCode;
        // The delivery's id lets the mail server's log be matched to the delivery log.
        mail.MessageId = $"{message.DeliveryId:N}@motcua";
        mail.Body = new TextPart("plain") { Text = message.Body };

        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security, ct);
            if (!string.IsNullOrEmpty(settings.User)) await client.AuthenticateAsync(settings.User, settings.Password ?? "", ct);
            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500
            && refused.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            throw new PermanentRefusal($"Mail server answered {(int)refused.StatusCode}: {refused.Message}");
        }
    }
}
