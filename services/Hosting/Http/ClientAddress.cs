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
        if (now - trusted.At > LookupAgain)
            lock (_resolved)
                if (now - _trusted.At > LookupAgain) _trusted = (Resolve(_trusted.Networks), now);
        return _trusted.Networks.Any(network => network.Contains(peer));
    }

    /// <summary>
    /// Each entry as networks. A name that cannot be looked up just now (DNS restarting) keeps what it last resolved
    /// to, so the gateway's callers are not all counted as the gateway for a minute.
    /// </summary>
    private IPNetwork[] Resolve(IPNetwork[] previous)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in _entries)
        {
            if (Network(entry) is { } network)
            {
                networks.Add(network);
                continue;
            }
            try
            {
                var addresses = Dns.GetHostAddresses(entry).Select(a => new IPNetwork(a, a.GetAddressBytes().Length * 8)).ToList();
                _resolved[entry] = addresses;
                networks.AddRange(addresses);
            }
            catch (System.Net.Sockets.SocketException)
            {
                networks.AddRange(_resolved.GetValueOrDefault(entry) ?? []);
            }
        }
        return previous.Length > 0 && networks.Count == 0 ? previous : [.. networks];
    }

    private readonly Dictionary<string, List<IPNetwork>> _resolved = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An address, or a network written with or without its host bits (<c>172.18.0.1/16</c> is 172.18.0.0/16).</summary>
    private static IPNetwork? Network(string entry)
    {
        var parts = entry.Split('/', 2);
        if (!IPAddress.TryParse(parts[0], out var address)) return null;
        var bits = address.GetAddressBytes().Length * 8;
        if (parts.Length == 1) return new IPNetwork(address, bits);
        if (!int.TryParse(parts[1], out var prefix) || prefix < 0 || prefix > bits) return null;
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}

public static class ClientAddressRegistration
{
    public static IServiceCollection AddClientAddresses(this IServiceCollection services, bool edge) =>
        services.AddSingleton(sp => new ClientAddresses(sp.GetRequiredService<IConfiguration>(), TimeProvider.System, edge));

    public static string? ClientAddress(this HttpContext context) =>
        context.RequestServices.GetRequiredService<ClientAddresses>().Of(context);
}
