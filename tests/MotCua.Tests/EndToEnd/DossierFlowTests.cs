using System.Net;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class DossierFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(15);

    public static object NewDossier(Guid unitId, string idNumber = "001203004567") => new
    {
        procedureCode = "1.001193.000.00.00.H57",
        unitId,
        channel = "counter",
        applicant = new { fullName = "Nguyễn Văn An", idNumber, phone = "0912345678" },
        papers = new[] { "Tờ khai đăng ký khai sinh", "Giấy chứng sinh" },
    };

    [Fact]
    public async Task A_dossier_posted_through_the_gateway_is_seen_by_notification_and_evaluation()
    {
        var token = await platform.TokenAsync();
        var unitId = await platform.NewCommuneAsync();
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", token, NewDossier(unitId)));
        Assert.Equal(HttpStatusCode.Created, status);
        var code = dossier.GetProperty("code").GetString()!;
        Assert.Matches(@"^[0-9A-Z.]+-\d{6}-\d{4}$", code);
        Assert.Equal("received", dossier.GetProperty("status").GetString());
        Assert.EndsWith("Z", dossier.GetProperty("receivedAt").GetString());
        Assert.EndsWith("Z", dossier.GetProperty("dueAt").GetString());

        var delivery = (JsonElement)await Eventually.Get<object>(async () =>
        {
            var (found, page) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/notifications?dossierCode={code}", token));
            return found == HttpStatusCode.OK && Texts(page) is [var text] ? text : null;
        }, Seconds, "Notification records the delivery");
        Assert.Equal("0912***678", delivery.GetProperty("recipient").GetString());
        Assert.Equal("dossier-received", delivery.GetProperty("template").GetString());

        await Eventually.True(async () =>
        {
            var (_, indicators) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unitId}?period={MonthOf(dossier)}", token));
            return indicators.GetProperty("received").GetInt32() == 1;
        }, Seconds, "Evaluation counts the dossier for its unit");
        // Evaluation logs the event it counted, without the citizen's contact: no figure needs it.
        Assert.True(await platform.CountAsync("evaluation", "SELECT count(*) FROM event_log WHERE body->>'code' = $1", code) >= 1,
            "Evaluation logged the dossier's event");
        Assert.Equal(0, await platform.CountAsync("evaluation",
            "SELECT count(*) FROM event_log WHERE body->>'code' = $1 AND (body::text LIKE '%0912345678%' OR body::text LIKE '%Nguyễn Văn An%')", code));

        var (found, again) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}", token));
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal(dossier.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_dossier_and_it_is_counted_once()
    {
        var token = await platform.TokenAsync();
        var unitId = await platform.NewCommuneAsync();
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
        {
            var request = platform.Request(HttpMethod.Post, "/api/dossiers", token, NewDossier(unitId));
            request.Headers.Add("Idempotency-Key", key);
            return platform.SendAsync(request);
        }));
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.OK, a.Status.ToString()));
        Assert.Single(answers.Select(a => a.Body.GetProperty("code").GetString()).Distinct());

        await Eventually.True(async () =>
        {
            var (_, indicators) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unitId}?period={MonthOf(answers[0].Body)}", token));
            return indicators.GetProperty("received").GetInt32() == 1;
        }, Seconds, "Evaluation counts it");
        await Eventually.True(async () =>
        {
            var (found, deliveries) = await platform.SendAsync(platform.Request(HttpMethod.Get,
                $"/api/notifications?dossierCode={answers[0].Body.GetProperty("code").GetString()}", token));
            return found == HttpStatusCode.OK && Texts(deliveries).Count == 1;
        }, Seconds, "Notification tells the citizen once");
    }

    /// <summary>
    /// The texts to the citizen among a dossier's deliveries. In working hours a dossier of a procedure of one working day is
    /// at risk from its start, and the reminder to its officials (channel <c>log</c>) is a delivery of the same dossier.
    /// </summary>
    private static List<JsonElement> Texts(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Where(d => d.GetProperty("channel").GetString() == "sms")];

    /// <summary>The month a dossier was received in, in Viet Nam: the period that counts it, whatever month it is by now.</summary>
    private static string MonthOf(JsonElement dossier) => dossier.GetProperty("receivedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7))
        .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"unitId": 5}""", "unitId" },
        { """{"procedureCode": "x", "unitId": "not-a-guid"}""", "unitId" },
        { """{"procedureCode": "x", "unitId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "channel": "fax", "applicant": {"fullName": "A", "idNumber": "0012"}}""", "channel" },
        { """{"procedureCode": "x", "unitId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "channel": "counter", "applicant": {"fullName": "A", "idNumber": "0012"}}""", "applicant.idNumber" },
        { """{"procedureCode": "x", "unitId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "channel": "counter", "applicant": {"fullName": "A", "idNumber": "001203004567", "phone": "12345"}}""", "applicant.phone" },
        { """{"procedureCode": "x", "unitId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "channel": "counter", "applicant": {"fullName": "A", "idNumber": "001203004567"}, "papers": [""]}""", "papers[0]" },
        { """{"procedureCode": """, "body" },
        { "", "body" },
        { "[1,2]", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string body, string field)
    {
        var token = await platform.TokenAsync();
        using var request = platform.Request(HttpMethod.Post, "/api/dossiers", token, body);
        using var response = await platform.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.DoesNotContain("   at ", problem.ToString());
    }

    [Fact]
    public async Task A_missing_dossier_is_a_404_problem()
    {
        var token = await platform.TokenAsync();
        var (status, problem) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/dossiers/000.00.00.H00-000101-9999", token));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }
}
