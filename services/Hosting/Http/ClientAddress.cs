using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MotCua.Hosting.Http;

/// <summary>
/// The caller's address: the one the gateway names in <c>X-Forwarded-For</c> when the request comes from a trusted
/// proxy, the direct peer otherwise, so a caller who reaches a service directly cannot pick the address its limits and
/// records see. <c>Http:TrustedProxies</c> lists addresses, networks (<c>10.0.0.0/8</c>) or host names (compose's
/// <c>gateway</c>, looked up again every minute). Behind the gateway, 127.0.0.1 and ::1 are trusted too (a gateway on
/// the same machine); the gateway itself, the edge, trusts only what is configured.
/// </summary>
public sealed class ClientAddresses(IConfiguration configuration, TimeProvider time, bool edge)
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
        // From the right: each trusted proxy vouches for the entry before it; the first address no proxy of ours
        // owns is the caller. Whatever a caller wrote further left is its own claim, and ignored.
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var client = peer;
        for (var i = forwarded.Length - 1; i >= 0 && IsTrusted(client); i--)
        {
            if (!IPAddress.TryParse(forwarded[i], out var hop)) break;
            client = hop.IsIPv4MappedToIPv6 ? hop.MapToIPv4() : hop;
        }
        return client.ToString();
    }

    private bool IsTrusted(IPAddress peer)
    {
        if (!edge && (peer.Equals(IPAddress.Loopback) || peer.Equals(IPAddress.IPv6Loopback))) return true;
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
    public static IServiceCollection AddClientAddresses(this IServiceCollection services, bool edge) =>
        services.AddSingleton(sp => new ClientAddresses(sp.GetRequiredService<IConfiguration>(), TimeProvider.System, edge));

    public static string? ClientAddress(this HttpContext context) =>
        context.RequestServices.GetRequiredService<ClientAddresses>().Of(context);
}
