using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MotCua.Tests.Support;

/// <summary>
/// Stands in for the province's mail server (outside our walls): a loopback SMTP server speaking just
/// enough of RFC 5321 for a client to hand it a message, which it keeps, decoded, for the tests. Mail for
/// a domain <c>down.example</c> meets a server that is going away (421), as when the mail server is down; the mailbox
/// <see cref="RefusedMailbox"/> does not exist (550, a permanent refusal). Like the province's server it takes mail only
/// after a log-in.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public sealed record Mail(string To, string Subject, string Body, string Raw);

    public SmtpSink()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public const string User = "motcua-relay";
    public const string Password = "e2e-mail-secret";
    public const string RefusedMailbox = "no-such-mailbox";
    private int _refusals;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many times the server refused <see cref="RefusedMailbox"/>: once, if the refusal was taken as final.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public ConcurrentQueue<Mail> Received { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            var loggedIn = false;
            string? to = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var verb = words[0].ToUpperInvariant();
                if (verb is "EHLO" or "HELO") await writer.WriteLineAsync("250-sink\r\n250 AUTH PLAIN LOGIN");
                else if (verb == "AUTH")
                {
                    loggedIn = await LogInAsync(words, reader, writer);
                    await writer.WriteLineAsync(loggedIn ? "235 2.7.0 authenticated" : "535 5.7.8 credentials invalid");
                }
                else if (verb == "MAIL" && !loggedIn) await writer.WriteLineAsync("530 5.7.0 authentication required");
                else if (verb == "RCPT")
                {
                    to = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                    if (to.EndsWith("@down.example", StringComparison.Ordinal)) { await writer.WriteLineAsync("421 service not available"); return; }
                    if (to.StartsWith(RefusedMailbox + "@", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _refusals);
                        await writer.WriteLineAsync("550 5.1.1 mailbox does not exist");
                        continue;
                    }
                    await writer.WriteLineAsync("250 OK");
                }
                else if (verb == "DATA")
                {
                    await writer.WriteLineAsync("354 go on");
                    var data = new StringBuilder();
                    var complete = false;
                    while (await reader.ReadLineAsync() is { } dataLine)
                    {
                        if (dataLine == ".") { complete = true; break; }
                        data.Append(dataLine.StartsWith("..") ? dataLine[1..] : dataLine).Append("\r\n");
                    }
                    // A client that gave up halfway (its timeout) delivered nothing, as with a real server.
                    if (!complete) return;
                    Received.Enqueue(Decode(to ?? "", data.ToString()));
                    await writer.WriteLineAsync("250 queued");
                }
                else if (verb == "QUIT") { await writer.WriteLineAsync("221 bye"); return; }
                else await writer.WriteLineAsync("250 OK");
            }
        }
    }

    /// <summary>AUTH PLAIN (initial response or not) and AUTH LOGIN, against <see cref="User"/> and <see cref="Password"/>.</summary>
    private static async Task<bool> LogInAsync(string[] words, StreamReader reader, StreamWriter writer)
    {
        static string Text(string? base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64 ?? ""));
        switch (words.ElementAtOrDefault(1)?.ToUpperInvariant())
        {
            case "PLAIN":
                var response = words.ElementAtOrDefault(2);
                if (response is null) { await writer.WriteLineAsync("334 "); response = await reader.ReadLineAsync(); }
                var parts = Text(response).Split('\0');
                return parts.Length == 3 && parts[1] == User && parts[2] == Password;
            case "LOGIN":
                var user = words.ElementAtOrDefault(2);
                if (user is null) { await writer.WriteLineAsync("334 VXNlcm5hbWU6"); user = await reader.ReadLineAsync(); }
                await writer.WriteLineAsync("334 UGFzc3dvcmQ6");
                return Text(user) == User && Text(await reader.ReadLineAsync()) == Password;
            default:
                return false;
        }
    }

    /// <summary>The message as a mail client shows it: the subject and the plain-text body, decoded.</summary>
    private static Mail Decode(string to, string message)
    {
        using var raw = new MemoryStream(Encoding.ASCII.GetBytes(message));
        var mime = MimeKit.MimeMessage.Load(raw);
        return new Mail(to, mime.Subject ?? "", (mime.TextBody ?? "").Trim(), message);
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
