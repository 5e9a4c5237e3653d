using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MotCua.Tests.Support;

/// <summary>
/// Stands in for the province's mail server (outside our walls): a loopback SMTP server speaking just
/// enough of RFC 5321 for a client to hand it a message, which it keeps, decoded, for the tests. Mail for
/// a domain <c>down.example</c> meets a server that is going away (421), as when the mail server is down.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public sealed record Mail(string To, string Subject, string Body, string Raw);

    public SmtpSink()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

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
            string? to = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                if (verb is "EHLO" or "HELO") await writer.WriteLineAsync("250 sink");
                else if (verb == "RCPT")
                {
                    to = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                    if (to.EndsWith("@down.example", StringComparison.Ordinal)) { await writer.WriteLineAsync("421 service not available"); return; }
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

    /// <summary>The subject (RFC 2047 encoded words) and a base64 body, as System.Net.Mail writes them.</summary>
    private static Mail Decode(string to, string message)
    {
        var split = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = message[..split];
        var body = message[(split + 4)..].Trim();
        var subjectLine = Regex.Match(headers, @"^Subject: ([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", RegexOptions.Multiline).Groups[1].Value;
        var subject = string.Concat(EncodedWord().Matches(subjectLine).Select(m => m.Groups[2].Value.ToUpperInvariant() == "B"
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
            : m.Groups[3].Value));
        if (subject.Length == 0) subject = subjectLine;
        var decoded = headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split("\r\n"))))
            : body;
        return new Mail(to, subject, decoded, message);
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
