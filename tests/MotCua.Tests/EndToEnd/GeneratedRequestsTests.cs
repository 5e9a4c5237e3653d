using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Generated hostile requests across every endpoint the services publish in their OpenAPI documents, through the
/// gateway, anonymous and with an admin's token: broken and hostile bodies, path values, query values and headers.
/// None may answer 5xx, and every 400 names a field.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GeneratedRequestsTests(PlatformFixture platform)
{
    /// <summary>
    /// Endpoints whose success changes the whole platform for every other test (a demonstration province, a replay of
    /// every event); their validation is tried by their own tests.
    /// </summary>
    private static readonly string[] Spared = ["/api/admin/demo", "/api/evaluation/rebuild"];

    private static readonly string[] PathValues =
    [
        Guid.NewGuid().ToString(), "H56-261130-0001", "%00", "a%0Ab", "%1B%5B31m", "..%2F..%2Fetc", new string('x', 300), "-1", "9999",
        "%E1%BB%87", "%FF%FE", "%C0%AF", "null", "' OR 1=1 --",
    ];

    private static readonly string[] QueryNames =
    [
        "page", "pageSize", "unitId", "from", "to", "period", "status", "format", "dossierCode", "descendants", "parentId", "q",
        "actorId", "phone", "step", "year",
    ];

    private static readonly string[] QueryValues =
    [
        "%00", "-1", "0", "99999999999", "0000", "9999-12", "0001-01-01", "9999-12-31", "2025-02-30", "abc", "%E2%80%AE", "%0D%0A",
        new string('9', 400), Guid.NewGuid().ToString(), "true", "csv", "%FF", "1e309", "NaN",
    ];

    private static readonly string[] BodyValues =
    [
        "null", "true", "-1", "0", "1e309", "99999999999999999999999", "\"\"", "\"x\"", "[]", "{}", "[null]", "\"2027-02-30\"",
        "\"0001-01-01\"", "\"9999-12-31\"", "\"9999-12-31T23:59:59Z\"", "\"1990-01-01\"", "\"not-a-guid\"", $"\"{Guid.NewGuid()}\"",
        "\"\\u0000\"", "\"a\\u0007b\"", "\"\\ud800\"", "\"line\\r\\nX-Header: 1\"", "\"" + new string('é', 5000) + "\"", "1.5",
        "\"PT-1H\"", "\"P10000Y\"", "\"٠٩١٢٣٤٥٦٧٨\"", "\"=HYPERLINK(\\\"http://x\\\")\"", "[\"counter\",\"root\"]", "{\"fullName\":1}",
        "\"<script>alert(1)</script>\"", "[[[[[[[[[[]]]]]]]]]]",
    ];

    private static readonly string[] Fields =
    [
        "procedureCode", "unitId", "channel", "applicant", "papers", "code", "name", "type", "parentId", "agencyCode", "sourceIds",
        "into", "effectiveOn", "fullName", "idNumber", "phone", "email", "gender", "birthDate", "education", "roles", "account",
        "toUnitId", "reason", "note", "assigneeId", "newDueAt", "holidays", "workingSaturdays", "processingTime", "steps", "fees",
        "kind", "content", "citizen", "dossierCode", "level", "answer", "username", "password", "currentPassword", "newPassword",
        "refreshToken", "advanceBy", "advanceTo", "period", "seed", "weights", "body", "subject", "channelName",
    ];

    private static readonly (string Name, string Value)[] Headers =
    [
        ("X-Access-Reason", "Công dân hỏi tại quầy"), ("X-Access-Reason", "a\u0001b"), ("Idempotency-Key", new string('k', 300)),
        ("If-Match", "\"không-phải-số\""), ("Accept", "text/csv"), ("X-Forwarded-For", "not-an-address, 999.1.1.1"),
        ("Last-Event-ID", "-99999999999999999999"), ("X-Correlation-Id", "a\u0002b"), ("Accept-Language", "en"),
        ("Content-Type", "text/plain"), ("Authorization", "Bearer " + new string('A', 2000)),
    ];

    [Fact]
    public async Task A_thousand_generated_hostile_requests_across_every_endpoint_get_no_5xx_and_every_400_names_a_field()
    {
        var endpoints = await EndpointsAsync();
        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} endpoints found in the OpenAPI documents");
        var admin = await platform.TokenAsync();
        // From an address of its own: its failed log-ins and throttled reads slow nobody else.
        using var client = FromAddress.Client("127.0.0.4");
        var random = new Random(22);
        var failures = new List<string>();
        var (sent, unnamed, byStatus, byServer) = (0, new List<string>(), new SortedDictionary<int, int>(), 0);
        for (var i = 0; sent < 1500 && i < 3000; i++)
        {
            var (method, template) = endpoints[i % endpoints.Count];
            var path = Fill(template, random);
            var query = random.Next(3) == 0 ? "" : "?" + string.Join("&", Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => $"{QueryNames[random.Next(QueryNames.Length)]}={QueryValues[random.Next(QueryValues.Length)]}"));
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(platform.Gateway, path + query));
            if (random.Next(2) == 0) request.Headers.Authorization = new("Bearer", admin);
            if (random.Next(3) == 0)
            {
                var (name, value) = Headers[random.Next(Headers.Length)];
                if (name != "Content-Type") request.Headers.Remove(name);
                if (name != "Content-Type") request.Headers.TryAddWithoutValidation(name, value);
            }
            byte[]? body = null;
            if (method is "POST" or "PUT" || random.Next(10) == 0)
            {
                body = Body(random);
                request.Content = new ByteArrayContent(body) { Headers = { { "Content-Type", random.Next(12) == 0 ? "text/plain" : "application/json" } } };
            }
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                continue; // the client itself refused to send it (a header it will not write); nothing reached the platform
            }
            using (response)
            {
                sent++;
                var status = (int)response.StatusCode;
                byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                var text = await response.Content.ReadAsStringAsync();
                var sentBody = body is null ? "" : Encoding.UTF8.GetString(body);
                var what = $"{method} {path}{query} {sentBody[..Math.Min(sentBody.Length, 120)]}";
                if (status >= 500) failures.Add($"{status} {what}: {text[..Math.Min(text.Length, 300)]}");
                // Kestrel refuses a NUL in the path itself, with a bare 400, before any code of ours runs.
                else if (status == 400 && text.Length == 0 && path.Contains("%00", StringComparison.Ordinal)) byServer++;
                else if (status == 400 && !NamesAField(text)) unnamed.Add($"{what}: {text[..Math.Min(text.Length, 300)]}");
            }
        }
        Console.WriteLine($"generated hostile requests: {sent} sent to {endpoints.Count} endpoints; answers: " +
            string.Join(", ", byStatus.Select(s => $"{s.Key} × {s.Value}")) + $"; of the 400s, {byServer} refused by the web server (NUL in the path)");
        Assert.True(sent >= 1000, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} answers of 5xx:\n" + string.Join("\n", failures.Take(15)));
        Assert.True(unnamed.Count == 0, $"{unnamed.Count} answers of 400 naming no field:\n" + string.Join("\n", unnamed.Take(15)));
    }

    private static bool NamesAField(string text)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<JsonElement>(text);
            return problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.EnumerateObject().Any();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Every (method, path template) in the four services' OpenAPI documents, as the gateway serves them.</summary>
    private async Task<List<(string Method, string Template)>> EndpointsAsync()
    {
        var endpoints = new List<(string, string)>();
        foreach (var service in new[] { "dossier", "personnel", "evaluation", "notification" })
        {
            using var response = await platform.Client.GetAsync(new Uri(platform.Gateway, $"/openapi/{service}.json"));
            response.EnsureSuccessStatusCode();
            var document = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
            foreach (var path in document.GetProperty("paths").EnumerateObject())
                foreach (var operation in path.Value.EnumerateObject())
                    if (operation.Name is "get" or "post" or "put" or "delete" && !Spared.Contains(path.Name)
                        && !path.Name.StartsWith("/health", StringComparison.Ordinal) && path.Name != "/api/events/stream")
                        endpoints.Add((operation.Name.ToUpperInvariant(), path.Name));
        }
        return endpoints;
    }

    private static string Fill(string template, Random random)
    {
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{') { text.Append(template[i]); continue; }
            i = template.IndexOf('}', i);
            text.Append(PathValues[random.Next(PathValues.Length)]);
        }
        return text.ToString();
    }

    private static byte[] Body(Random random)
    {
        switch (random.Next(10))
        {
            case 0: return Encoding.UTF8.GetBytes(new string('[', random.Next(30, 200)));
            case 1: return [0xFF, 0xFE, 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D];
            case 2: return Encoding.UTF8.GetBytes("{\"" + Fields[random.Next(Fields.Length)] + "\":");
            case 3: return Encoding.UTF8.GetBytes(BodyValues[random.Next(BodyValues.Length)]);
            default:
                string Member() => $"\"{Fields[random.Next(Fields.Length)]}\":" + (random.Next(4) == 0
                    ? "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"\"{Fields[random.Next(Fields.Length)]}\":{BodyValues[random.Next(BodyValues.Length)]}")) + "}"
                    : BodyValues[random.Next(BodyValues.Length)]);
                return Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, random.Next(1, 8)).Select(_ => Member())) + "}");
        }
    }
}
