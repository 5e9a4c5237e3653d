using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MotCua.Hosting.Http;

/// <summary>
/// The caller's address: the one the gateway names in <c>X-Forwarded-For</c> when the request comes from a trusted
/// proxy, the direct peer otherwise, so a caller who reaches a service directly cannot pick the address its limits and
/// records see. <c>Http:TrustedProxies</c> lists addresses, networks (<c>10.0.0.0/8</c>) or host names (compose's
/// <c>gateway</c>, looked up again every minute); loopback is always trusted.
/// </summary>
public sealed class ClientAddresses(IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeSpan LookupAgain = TimeSpan.FromMinutes(1);

    private readonly string[] _entries = (configuration["Http:TrustedProxies"] ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private (IPNetwork[] Networks, DateTimeOffset At) _trusted = ([], DateTimeOffset.MinValue);

    public string? Of(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null) return null;
        if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
        if (!IsTrusted(peer)) return peer.ToString();
        // The gateway appends the peer it saw; the last entry is the one a trusted proxy vouches for.
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return forwarded.Length > 0 && IPAddress.TryParse(forwarded[^1], out var client) ? client.ToString() : peer.ToString();
    }

    private bool IsTrusted(IPAddress peer)
    {
        if (IPAddress.IsLoopback(peer)) return true;
        var now = time.GetUtcNow();
        var trusted = _trusted;
        if (now - trusted.At > LookupAgain) _trusted = trusted = (Resolve(), now);
        return trusted.Networks.Any(network => network.Contains(peer));
    }

    private IPNetwork[] Resolve() => _entries.SelectMany(entry =>
    {
        if (IPNetwork.TryParse(entry, out var network)) return [network];
        if (IPAddress.TryParse(entry, out var address)) return [new IPNetwork(address, address.GetAddressBytes().Length * 8)];
        try
        {
            return Dns.GetHostAddresses(entry).Select(a => new IPNetwork(a, a.GetAddressBytes().Length * 8));
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
    }).ToArray();
}

public static class ClientAddressRegistration
{
    public static IServiceCollection AddClientAddresses(this IServiceCollection services) =>
        services.AddSingleton(sp => new ClientAddresses(sp.GetRequiredService<IConfiguration>(), TimeProvider.System));

    public static string? ClientAddress(this HttpContext context) =>
        context.RequestServices.GetRequiredService<ClientAddresses>().Of(context);
}
