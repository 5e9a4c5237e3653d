using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// The edge through the real gateway and services: two communes of one district, officials of each, and
/// every route tried from every side of the boundary.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EdgeSecurityTests(PlatformFixture platform)
{
    private sealed record World(
        Guid Province, Guid A, Guid B, Guid OfficialA, string CodeA,
        string CounterA, string SpecialistA, string CounterB, string ProvinceViewer);

    private static World? _world;
    private static readonly SemaphoreSlim Building = new(1, 1);

    private async Task<World> WorldAsync()
    {
        await Building.WaitAsync();
        try
        {
            return _world ??= await BuildAsync();
        }
        finally
        {
            Building.Release();
        }
    }

    private async Task<World> BuildAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var admin = await platform.TokenAsync();
        async Task<Guid> Unit(string code, string type, Guid? parentId)
        {
            var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/units", admin,
                new { code = run + code, name = code, type, parentId, agencyCode = type == "commune" ? $"000.{Random.Shared.Next(10, 99)}.{code[^1]}1.{run[..4]}" : null }));
            Assert.True(status == HttpStatusCode.Created, body.ToString());
            return body.GetProperty("id").GetGuid();
        }
        Task<(Guid Id, string Token)> Official(Guid unit, string role) => platform.OfficialAsync(unit, role);

        var province = await Unit("-P", "province", null);
        var district = await Unit("-D", "district", province);
        var a = await Unit("-A", "commune", district);
        var b = await Unit("-B", "commune", district);
        var (officialA, counterA) = await Official(a, "counter");
        var (_, specialistA) = await Official(a, "specialist");
        var (_, counterB) = await Official(b, "counter");
        var (_, viewer) = await Official(province, "viewer");

        // The services learn the new units from Personnel's events; scope checks need them.
        foreach (var service in new[] { "dossier", "evaluation", "notification" })
            await Eventually.True(async () => await platform.CountAsync(service,
                "SELECT count(*) FROM unit_directory WHERE id = ANY($1) AND parent_id IS NOT NULL", new[] { a, b, district }) == 3,
                TimeSpan.FromSeconds(15), $"{service} knows the units");

        var (created, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counterA,
            DossierFlowTests.NewDossier(a, idNumber: "036199012345")));
        Assert.True(created == HttpStatusCode.Created, dossier.ToString());
        var code = dossier.GetProperty("code").GetString()!;
        // The text to the citizen: in working hours the dossier (a one-day procedure) is also at risk from its start, and
        // the reminder to its officials is a delivery of its own on the log channel.
        await Eventually.True(async () => await platform.CountAsync("notification",
            "SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND channel = 'sms'", code) == 1, TimeSpan.FromSeconds(15), "the delivery");
        return new World(province, a, b, officialA, code, counterA, specialistA, counterB, viewer);
    }

    /// <summary>Reads: the commune's own staff and the province viewer see them; the other commune gets 404.</summary>
    public static TheoryData<string> ScopedReads => new()
    {
        "/api/dossiers/{code}",
        "/api/notifications?dossierCode={code}",
        "/api/evaluation/units/{a}",
        "/api/units/{a}",
        "/api/units?parentId={a}",
        "/api/officials/{officialA}",
        "/api/officials?unitId={a}",
        "/api/reports/staffing?unitId={a}",
        "/api/positions?unitId={a}",
    };

    [Theory]
    [MemberData(nameof(ScopedReads))]
    public async Task A_read_is_refused_without_a_valid_token_hidden_from_another_commune_and_shown_to_the_province(string template)
    {
        var world = await WorldAsync();
        var path = template.Replace("{code}", world.CodeA).Replace("{a}", world.A.ToString()).Replace("{officialA}", world.OfficialA.ToString());
        foreach (var token in BadTokens())
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(HttpMethod.Get, path, token));
        Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, path, world.CounterB));
        Assert.Equal(HttpStatusCode.OK, await Status(HttpMethod.Get, path, world.CounterA));
        Assert.Equal(HttpStatusCode.OK, await Status(HttpMethod.Get, path, world.ProvinceViewer));
    }

    [Fact]
    public async Task Writes_need_the_right_role_and_stay_inside_the_callers_units()
    {
        var world = await WorldAsync();
        foreach (var token in BadTokens())
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(HttpMethod.Post, "/api/dossiers", token, DossierFlowTests.NewDossier(world.A)));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, "/api/dossiers", world.ProvinceViewer, DossierFlowTests.NewDossier(world.A)));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, "/api/dossiers", world.SpecialistA, DossierFlowTests.NewDossier(world.A)));
        Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Post, "/api/dossiers", world.CounterB, DossierFlowTests.NewDossier(world.A)));
        Assert.Equal(HttpStatusCode.Created, await Status(HttpMethod.Post, "/api/dossiers", world.CounterA, DossierFlowTests.NewDossier(world.A)));

        var unit = new { code = "X" + Guid.NewGuid().ToString("N")[..8], name = "X", type = "commune", parentId = world.A };
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, "/api/units", world.CounterA, unit));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, "/api/admin/clock", world.ProvinceViewer, new { advanceBy = "PT1M" }));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Get, "/api/dossiers/" + world.CodeA + "/reads", world.CounterA));
    }

    /// <summary>Every other path of docs/api.md: the gateway refuses it without a valid token before any service sees it.</summary>
    [Theory]
    [InlineData("PUT", "/api/calendar/2027")]
    [InlineData("GET", "/api/calendar/2027")]
    [InlineData("POST", "/api/procedures")]
    [InlineData("GET", "/api/procedures")]
    [InlineData("GET", "/api/dossiers?unitId=00000000-0000-0000-0000-000000000001&status=received")]
    [InlineData("POST", "/api/dossiers/X-1/actions/transfer")]
    [InlineData("GET", "/api/dossiers/X-1/history")]
    [InlineData("GET", "/api/dossiers/X-1/apologies")]
    [InlineData("GET", "/api/dossiers/X-1/apologies/1/letter")]
    [InlineData("POST", "/api/units/merge")]
    [InlineData("POST", "/api/officials/00000000-0000-0000-0000-000000000001/transfer")]
    [InlineData("GET", "/api/evaluation/officials/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/evaluation/rankings?unitId=00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/events/stream?unitId=00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/admin/clock")]
    [InlineData("GET", "/api/admin/audit/dossier")]
    [InlineData("GET", "/api/admin/signers")]
    public async Task Every_private_path_needs_a_valid_token(string method, string path)
    {
        foreach (var token in BadTokens())
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(new HttpMethod(method), path, token, method == "GET" ? null : new { }));
    }

    [Fact]
    public async Task A_read_of_personal_data_is_recorded_and_a_viewer_sees_it_masked()
    {
        var world = await WorldAsync();
        using (var request = platform.Request(HttpMethod.Get, "/api/dossiers/" + world.CodeA, world.CounterA))
        {
            request.Headers.Add("X-Access-Reason", "citizen asked at the counter");
            var (status, full) = await platform.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("036199012345", full.GetProperty("applicant").GetProperty("idNumber").GetString());
        }
        var (_, masked) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/dossiers/" + world.CodeA, world.ProvinceViewer));
        Assert.Equal("036*******45", masked.GetProperty("applicant").GetProperty("idNumber").GetString());
        Assert.Equal("0912***678", masked.GetProperty("applicant").GetProperty("phone").GetString());

        var (_, reads) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{world.CodeA}/reads", await platform.TokenAsync()));
        var read = Assert.Single(reads.EnumerateArray(), r => r.GetProperty("reason").GetString() == "citizen asked at the counter");
        Assert.Equal("127.0.0.1", read.GetProperty("address").GetString());
        Assert.DoesNotContain(reads.EnumerateArray(), r => r.GetProperty("readerName").GetString()!.StartsWith("viewer."));
    }

    [Fact]
    public async Task Every_write_is_audited_and_the_audit_log_cannot_be_rewritten()
    {
        var world = await WorldAsync();
        Assert.Equal(HttpStatusCode.Created, await Status(HttpMethod.Post, "/api/dossiers", world.CounterA, DossierFlowTests.NewDossier(world.A)));
        var (status, audit) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/audit/dossier?pageSize=50", await platform.TokenAsync()));
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = audit.GetProperty("items").EnumerateArray().First(e =>
            e.GetProperty("path").GetString() == "/api/dossiers" && e.GetProperty("actorName").GetString()!.StartsWith("counter."));
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal(201, entry.GetProperty("status").GetInt32());
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => platform.CountAsync("dossier", "DELETE FROM audit_log RETURNING 1"));
        Assert.Contains("append-only", refused.MessageText);
    }

    [Fact]
    public async Task The_public_look_up_is_anonymous_shows_nothing_personal_and_is_rate_limited()
    {
        var world = await WorldAsync();
        using var first = await platform.Client.GetAsync(new Uri(platform.Gateway, "/api/public/dossiers/" + world.CodeA));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var text = await first.Content.ReadAsStringAsync();
        Assert.DoesNotContain("036199012345", text);
        Assert.DoesNotContain("0912345678", text);
        Assert.DoesNotContain("applicant", text);

        HttpResponseMessage? throttled = null;
        for (var i = 0; i < PlatformFixture.PublicPermitLimit + 5 && throttled is null; i++)
        {
            var response = await platform.Client.GetAsync(new Uri(platform.Gateway, "/api/public/dossiers/" + world.CodeA));
            if (response.StatusCode == HttpStatusCode.TooManyRequests) throttled = response;
            else response.Dispose();
        }
        Assert.NotNull(throttled);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 carries Retry-After");
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        throttled.Dispose();
    }

    [Fact]
    public async Task Cors_is_closed_and_bodies_over_the_route_limit_are_refused()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(platform.Gateway, "/api/dossiers"));
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await platform.Client.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));

        var huge = "{\"username\":\"" + new string('x', 10_000) + "\",\"password\":\"y\"}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await Status(HttpMethod.Post, "/api/auth/token", null, huge));
    }

    [Fact]
    public async Task A_thousand_malformed_bodies_across_the_write_endpoints_get_no_5xx()
    {
        var world = await WorldAsync();
        var admin = await platform.TokenAsync();
        // An official of its own: an empty roles list is a valid change, and it ends that official's tokens.
        var (target, _) = await platform.OfficialAsync(world.A, "specialist");
        string[] endpoints =
        [
            "POST /api/dossiers", "POST /api/units", "POST /api/units/merge", "POST /api/officials",
            $"POST /api/officials/{target}/transfer", $"PUT /api/officials/{target}/roles",
            $"POST /api/officials/{target}/trainings", $"PUT /api/officials/{target}/position",
            "POST /api/positions", "PUT /api/standards", "POST /api/auth/token", "POST /api/admin/clock",
        ];
        var random = new Random(766);
        var failures = new List<string>();
        var sent = 0;
        for (var i = 0; i < 1200; i++)
        {
            var endpoint = endpoints[i % endpoints.Length].Split(' ');
            var body = Malformed(random, world);
            using var request = new HttpRequestMessage(new HttpMethod(endpoint[0]), new Uri(platform.Gateway, endpoint[1]))
            {
                Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
            };
            request.Headers.Authorization = new("Bearer", admin);
            using var response = await platform.Client.SendAsync(request);
            sent++;
            if ((int)response.StatusCode >= 500)
                failures.Add($"{endpoint[0]} {endpoint[1]} {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 200)]}");
        }
        Assert.True(sent >= 1000);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public async Task A_citizens_id_number_and_phone_appear_in_no_log_and_no_telemetry()
    {
        var world = await WorldAsync();
        foreach (var token in new[] { world.CounterA, world.ProvinceViewer, world.CounterB })
            await Status(HttpMethod.Get, "/api/dossiers/" + world.CodeA, token);
        await Status(HttpMethod.Get, "/api/notifications?dossierCode=" + world.CodeA, world.CounterA);
        await Status(HttpMethod.Get, "/api/public/dossiers/" + world.CodeA, null);
        // Let the exporters flush what this lifecycle produced before looking.
        await Eventually.True(() => Task.FromResult(platform.Telemetry.Exports.Any(e => e.Path == "/v1/logs")),
            TimeSpan.FromSeconds(30), "log records reach the collector");

        string[] secrets = ["036199012345", "0912345678", "+84912345678"];
        foreach (var file in Directory.GetFiles(platform.Logs))
        {
            string text;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)) text = await new StreamReader(stream).ReadToEndAsync();
            foreach (var secret in secrets) Assert.False(text.Contains(secret), $"{secret} in {file}");
        }
        foreach (var (path, body) in platform.Telemetry.Exports)
            foreach (var secret in secrets)
                Assert.True(body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} exported on {path}");
    }

    private static byte[] Malformed(Random random, World world)
    {
        string[] values =
        [
            "null", "true", "-1", "1e309", "99999999999999999999999", "\"\"", "\"x\"", "[]", "{}", "[null]", "\"2027-02-30\"",
            "\"not-a-guid\"", $"\"{world.A}\"", $"\"{Guid.NewGuid()}\"", "\"\\u0000\"", "\"" + new string('é', 300) + "\"", "1.5", "\"PT-1H\"",
            "[\"counter\",\"root\"]", "{\"fullName\":1}", "\"1990-01-01\"", "\"0912345678\"",
        ];
        string[] fields =
        [
            "procedureCode", "unitId", "channel", "applicant", "papers", "code", "name", "type", "parentId", "agencyCode", "sourceIds",
            "into", "effectiveOn", "fullName", "gender", "birthDate", "education", "roles", "account", "toUnitId", "quota",
            "minProfessional", "positionId", "course", "completedOn", "username", "password", "advanceBy", "advanceTo", "category",
        ];
        switch (random.Next(8))
        {
            case 0: return Encoding.UTF8.GetBytes(new string('[', random.Next(30, 200)) + new string(']', random.Next(0, 200)));
            case 1: return [0xFF, 0xFE, 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D];
            case 2: return Encoding.UTF8.GetBytes("{\"" + fields[random.Next(fields.Length)] + "\":");
            case 3: return Encoding.UTF8.GetBytes(values[random.Next(values.Length)]);
            default:
                var members = Enumerable.Range(0, random.Next(1, 8))
                    .Select(_ => $"\"{fields[random.Next(fields.Length)]}\":{values[random.Next(values.Length)]}");
                var json = "{" + string.Join(",", members) + "}";
                return Encoding.UTF8.GetBytes(random.Next(5) == 0 ? "[" + json + "]" : json);
        }
    }

    private IEnumerable<string?> BadTokens() =>
    [
        null,
        "not.a.jwt",
        Tokens.Create(platform.SigningKey, TimeSpan.FromHours(-1)),
        Tokens.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('k', 48))), TimeSpan.FromHours(1)),
    ];

    private async Task<HttpStatusCode> Status(HttpMethod method, string path, string? token, object? body = null) =>
        (await platform.SendAsync(platform.Request(method, path, token, body))).Status;
}
