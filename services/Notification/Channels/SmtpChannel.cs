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
/// E-mail over SMTP with MailKit, UTF-8 throughout. The server's 5xx refuses the message for good (an address that does
/// not exist, a mailbox that will not take it) and is recorded with the server's answer; a 4xx or a dropped connection
/// may pass and is retried.
/// </summary>
public sealed class SmtpChannel(SmtpSettings settings) : IChannel
{
    public string Name => NotificationChannels.Email;

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
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
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500)
        {
            throw new PermanentRefusal($"Mail server answered {(int)refused.StatusCode}: {refused.Message}");
        }
        catch (AuthenticationException failed)
        {
            // Wrong credentials are the installation's to fix; retrying the message will not, and a locked account helps nobody.
            throw new PermanentRefusal($"Mail server refused the log-in: {failed.Message}");
        }
    }
}
