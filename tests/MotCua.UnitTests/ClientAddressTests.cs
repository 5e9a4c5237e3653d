using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using MotCua.Hosting.Http;

namespace MotCua.UnitTests;

public sealed class ClientAddressTests
{
    private static string? Of(string peer, string? forwarded, string? trusted, bool edge = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Http:TrustedProxies"] = trusted }).Build();
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwarded is not null) context.Request.Headers["X-Forwarded-For"] = forwarded;
        return new ClientAddresses(configuration, TimeProvider.System, edge).Of(context);
    }

    [Theory]
    // Behind the gateway on the same machine: the gateway's entry is the caller.
    [InlineData("127.0.0.1", "203.0.113.9", null, false, "203.0.113.9")]
    // Whatever the caller wrote before the gateway's entry is its own claim.
    [InlineData("127.0.0.1", "6.6.6.6, 203.0.113.9", null, false, "203.0.113.9")]
    // A caller reaching the service from elsewhere names no address but its own.
    [InlineData("127.0.0.2", "6.6.6.6", null, false, "127.0.0.2")]
    [InlineData("10.1.2.3", "6.6.6.6", null, false, "10.1.2.3")]
    // An ingress before the gateway, both trusted: walked back to the citizen.
    [InlineData("10.1.2.3", "6.6.6.6, 203.0.113.9, 10.9.9.9", "10.0.0.0/8", false, "203.0.113.9")]
    // A network written with its host bits is still that network.
    [InlineData("172.18.5.6", "203.0.113.9", "172.18.0.1/16", false, "203.0.113.9")]
    // The gateway, first to see a caller, trusts nothing by default: loopback included.
    [InlineData("127.0.0.1", "6.6.6.6", null, true, "127.0.0.1")]
    // Garbage in the header ends the walk at the last address vouched for.
    [InlineData("127.0.0.1", "not-an-address", null, false, "127.0.0.1")]
    public void The_caller_is_the_first_address_no_trusted_proxy_owns(string peer, string forwarded, string? trusted, bool edge, string expected) =>
        Assert.Equal(expected, Of(peer, forwarded, trusted, edge));
}
