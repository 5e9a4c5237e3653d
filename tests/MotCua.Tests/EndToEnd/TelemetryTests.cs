using System.Net;
using System.Net.Http.Json;
using System.Text;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class TelemetryTests(PlatformFixture platform)
{
    [Fact]
    public async Task One_trace_follows_a_dossier_from_the_gateway_through_the_outbox_and_bus_to_the_consumers_and_the_sms()
    {
        var token = await platform.TokenAsync();
        using var response = await platform.Client.SendAsync(
            platform.Request(HttpMethod.Post, "/api/dossiers", token, DossierFlowTests.NewDossier(await platform.NewCommuneAsync())));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // Without a caller's correlation id the gateway uses the trace id.
        var traceId = Convert.FromHexString(Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        var code = Encoding.UTF8.GetBytes((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString()!);

        foreach (var service in new[] { "gateway", "dossier", "notification", "evaluation" })
            await Eventually.True(() => Task.FromResult(platform.Telemetry.HasTraceWith(traceId, ServiceName(service))),
                TimeSpan.FromSeconds(30), $"{service} exports spans of the dossier's trace");
        // The intake is tagged with the dossier's code, and the text to the citizen is sent within the same trace.
        await Eventually.True(() => Task.FromResult(platform.Telemetry.HasTraceWith(traceId, ServiceName("dossier"), code)),
            TimeSpan.FromSeconds(30), "the intake span carries the dossier's code");
        await Eventually.True(() => Task.FromResult(platform.Telemetry.HasTraceWith(traceId, ServiceName("notification"), Encoding.UTF8.GetBytes("deliver sms"), code)),
            TimeSpan.FromSeconds(30), "the SMS is sent within the dossier's trace");
    }

    /// <summary>The OTLP protobuf bytes of a resource's <c>service.name</c> string value.</summary>
    private static byte[] ServiceName(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        return [0x12, (byte)(utf8.Length + 2), 0x0A, (byte)utf8.Length, .. utf8];
    }
}
