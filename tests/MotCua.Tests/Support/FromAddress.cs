using System.Net;
using System.Net.Sockets;

namespace MotCua.Tests.Support;

/// <summary>
/// An HTTP client whose connections leave from another loopback address (127.0.0.2, …): a second machine on the
/// network, as far as the gateway and the services can tell.
/// </summary>
public static class FromAddress
{
    public static HttpClient Client(string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        // A Vietnamese X-Access-Reason goes as UTF-8, as a browser sends it.
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
    })
    { Timeout = Patience.Of(TimeSpan.FromSeconds(30)) };
}
