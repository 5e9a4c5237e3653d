using System.Net;
using System.Net.Sockets;

namespace MotCua.Tests.Support;

/// <summary>
/// A loopback port that refuses connections until opened, then forwards them to a real server:
/// a dependency that is down and comes back, without stopping the shared broker or database. Closing it again
/// cuts the connections it carries, as a network drop would.
/// </summary>
public sealed class TcpGate(int targetPort) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource _carried = new();
    private TcpListener? _listener;

    public int Port { get; } = ServiceProcess.FreePort();

    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener);
    }

    /// <summary>Refuses new connections and cuts those open, until <see cref="Open"/> again.</summary>
    public void Close()
    {
        _listener?.Stop();
        _listener = null;
        var carried = _carried;
        _carried = new CancellationTokenSource();
        carried.Cancel();
        carried.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(client, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _carried.Token).Token);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cut)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, cut);
                await using var a = client.GetStream();
                await using var b = server.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, cut), b.CopyToAsync(a, cut), Task.Delay(Timeout.Infinite, cut));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A closed side ends the pair; the client sees a dropped connection, as it would for real.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener?.Stop();
        _stop.Dispose();
        _carried.Dispose();
        return ValueTask.CompletedTask;
    }
}
