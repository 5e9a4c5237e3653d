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

    [Fact]
    public async Task Logs_and_metrics_are_exported_too_and_no_citizens_phone_id_or_e_mail_leaves_in_any_signal()
    {
        var phone = "0913" + Random.Shared.Next(100000, 999999).ToString("D6");
        var idNumber = "0012030" + Random.Shared.Next(10000, 99999).ToString("D5");
        var token = await platform.TokenAsync();
        using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", token, new
        {
            procedureCode = "1.001193.000.00.00.H57", unitId = await platform.NewCommuneAsync(), channel = "counter",
            applicant = new { fullName = "Lê Thị Riêng", idNumber, phone, email = "rieng.le@example.vn" },
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var traceId = Convert.FromHexString(Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
        var code = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString()!;
        // A look-up that carries the phone in its query string, as a citizen's search would.
        using var lookup = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/notifications?dossierCode={code}&phone={phone}", token));
        var lookupTrace = Convert.FromHexString(Assert.Single(lookup.Headers.GetValues("X-Correlation-Id")));

        await Eventually.True(() => Task.FromResult(platform.Telemetry.HasTraceWith(traceId, ServiceName("notification"), Encoding.UTF8.GetBytes("deliver sms"))),
            TimeSpan.FromSeconds(30), "the SMS to the citizen is traced");
        await Eventually.True(() => Task.FromResult(platform.Telemetry.HasTraceWith(lookupTrace, ServiceName("notification"))),
            TimeSpan.FromSeconds(30), "the look-up is traced");
        await Eventually.True(() => Task.FromResult(platform.Telemetry.Exports.Any(e => e.Path == "/v1/logs")
            && platform.Telemetry.Exports.Any(e => e.Path == "/v1/metrics")), TimeSpan.FromSeconds(30), "logs and metrics are exported");

        foreach (var secret in new[] { phone, idNumber, "rieng.le@example.vn" })
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            Assert.DoesNotContain(platform.Telemetry.Exports, e => e.Body.AsSpan().IndexOf(bytes) >= 0);
        }
    }

    /// <summary>The OTLP protobuf bytes of a resource's <c>service.name</c> string value.</summary>
    private static byte[] ServiceName(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        return [0x12, (byte)(utf8.Length + 2), 0x0A, (byte)utf8.Length, .. utf8];
    }
}
