using System.Net;
using System.Text;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class TelemetryTests(PlatformFixture platform)
{
    [Fact]
    public async Task One_trace_follows_a_dossier_from_the_gateway_through_the_outbox_and_bus_to_the_consumers()
    {
        var token = await platform.TokenAsync();
        using var response = await platform.Client.SendAsync(
            platform.Request(HttpMethod.Post, "/api/dossiers", token, DossierFlowTests.NewDossier(await platform.NewCommuneAsync())));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // Without a caller's correlation id the gateway uses the trace id.
        var traceId = Convert.FromHexString(Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        foreach (var service in new[] { "gateway", "dossier", "notification", "evaluation" })
            await Eventually.True(() => Task.FromResult(platform.Telemetry.HasTraceWith(traceId, ServiceName(service))),
                TimeSpan.FromSeconds(30), $"{service} exports spans of the dossier's trace");
    }

    /// <summary>The OTLP protobuf bytes of a resource's <c>service.name</c> string value.</summary>
    private static byte[] ServiceName(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        return [0x12, (byte)(utf8.Length + 2), 0x0A, (byte)utf8.Length, .. utf8];
    }
}
