using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace MotCua.Tests.Support;

/// <summary>A real HTTP client reading a server-sent event stream in the background, as a dashboard does.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private Task? _reading;

    public sealed record Event(long Id, string Name, string Data);

    public ConcurrentQueue<Event> Events { get; } = new();

    public HttpStatusCode Status { get; private set; }

    public static async Task<SseClient> OpenAsync(Uri url, string token, long? lastEventId = null)
    {
        var client = new SseClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } last) request.Headers.Add("Last-Event-ID", last.ToString());
        var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, client._stop.Token);
        client.Status = response.StatusCode;
        if (response.IsSuccessStatusCode) client._reading = client.ReadAsync(response);
        else response.Dispose();
        return client;
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            try
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                long id = 0;
                string? name = null, data = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
                    else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
                    else if (line.Length == 0 && name is not null)
                    {
                        Events.Enqueue(new Event(id, name, data ?? ""));
                        name = data = null;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // Closed by the test or the server.
            }
        }
    }

    /// <summary>Whether the server ended the stream (or it never opened).</summary>
    public bool Ended => _reading is null || _reading.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reading is not null) await _reading;
        _http.Dispose();
    }
}
