using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// What anyone can type, through the gateway: control characters, dates off the calendar, reused keys, Vietnamese in
/// headers, spoofed addresses. Each is refused with a 400 naming the field (or passed, where it is fair), never a 500.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HostileInputTests(PlatformFixture platform)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? token, object? body = null) =>
        await platform.SendAsync(platform.Request(method, path, token, body));

    private static void Names(JsonElement problem, string field) =>
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"{field} not named in {problem}");

    [Fact]
    public async Task Control_characters_in_a_body_a_path_or_a_query_are_a_400_naming_where()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");

        // Anonymous, where three of the old 500s were.
        var (feedback, feedbackProblem) = await Send(HttpMethod.Post, "/api/public/feedback", null,
            """{"kind":"feedback","unitId":"00000000-0000-0000-0000-000000000001","content":"a\u0000b","citizen":{"fullName":"X","phone":"0912345678"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, feedback);
        Names(feedbackProblem, "content");

        var (intake, intakeProblem) = await Send(HttpMethod.Post, "/api/dossiers", counter,
            $$$"""{"procedureCode":"1.001193.000.00.00.H57","unitId":"{{{unit}}}","channel":"counter","applicant":{"fullName":"Nguyễn\u001bVăn An","idNumber":"001203004567"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, intake);
        Names(intakeProblem, "applicant.fullName");

        var (path, pathProblem) = await Send(HttpMethod.Get, "/api/public/dossiers/H56%01-1", null);
        Assert.Equal(HttpStatusCode.BadRequest, path);
        Names(pathProblem, "path");
        var (query, queryProblem) = await Send(HttpMethod.Get, "/api/notifications?dossierCode=A%00B", counter);
        Assert.Equal(HttpStatusCode.BadRequest, query);
        Names(queryProblem, "dossierCode");
    }

    [Fact]
    public async Task A_procedure_code_with_a_line_break_is_refused_before_anything_is_saved()
    {
        var admin = await platform.TokenAsync();
        var code = "T.CRLF" + Guid.NewGuid().ToString("N")[..6];
        var before = await platform.CountAsync("dossier", "SELECT count(*) FROM procedures");
        var (status, problem) = await Send(HttpMethod.Post, "/api/procedures", admin, new
        {
            code = code + "\r\nX-Injected: 1", name = "Thủ tục", field = "Hộ tịch", processingTime = new { value = 1, unit = "workingDays" },
            steps = new[] { new { name = "Tiếp nhận", role = "counter", hours = 8 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Names(problem, "code");
        Assert.Equal(before, await platform.CountAsync("dossier", "SELECT count(*) FROM procedures"));
    }

    [Fact]
    public async Task Dates_and_durations_off_the_calendar_are_refused_by_the_clock_and_the_reports()
    {
        var admin = await platform.TokenAsync();
        var unit = await platform.NewCommuneAsync();
        foreach (var (move, field) in new (object Move, string Field)[]
                 {
                     (new { advanceBy = "P10000Y" }, "advanceBy"), (new { advanceBy = "P99999999D" }, "advanceBy"),
                     (new { advanceTo = "9999-12-31T00:00:00Z" }, "advanceTo"),
                 })
        {
            var (status, problem) = await Send(HttpMethod.Post, "/api/admin/clock", admin, move);
            Assert.True(status == HttpStatusCode.BadRequest, $"{move}: {status} {problem}");
            Names(problem, field);
        }
        foreach (var period in new[] { "0000", "9999-12", "2025-02-30", "1999" })
        {
            var (status, problem) = await Send(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={period}", admin);
            Assert.True(status == HttpStatusCode.BadRequest, $"{period}: {status} {problem}");
            Names(problem, "period");
        }
        var (trend, trendProblem) = await Send(HttpMethod.Get, $"/api/evaluation/units/{unit}/trend?to=0001-01-01", admin);
        Assert.Equal(HttpStatusCode.BadRequest, trend);
        Names(trendProblem, "to");
        var (official, _) = await platform.OfficialAsync(unit, "viewer");
        foreach (var (method, path, body, field) in new (HttpMethod, string, object, string)[]
                 {
                     (HttpMethod.Post, $"/api/officials/{official}/transfer", new { toUnitId = unit, effectiveOn = "0001-01-01" }, "effectiveOn"),
                     (HttpMethod.Post, "/api/units", new { code = "X9999", name = "Xã", type = "commune", parentId = unit, validFrom = "9999-12-31" }, "validFrom"),
                     (HttpMethod.Post, $"/api/officials/{official}/trainings", new { course = "Tin học", kind = "it", completedOn = "0001-01-01" }, "completedOn"),
                 })
        {
            var (status, problem) = await Send(method, path, admin, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path}: {status} {problem}");
            Names(problem, field);
        }
        var (paging, pagingProblem) = await Send(HttpMethod.Get, $"/api/dossiers?unitId={unit}&page=99999999999", admin);
        Assert.Equal(HttpStatusCode.BadRequest, paging);
        Names(pagingProblem, "page");
    }

    [Fact]
    public async Task Citizen_ids_and_phones_take_ascii_digits_only()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var (status, problem) = await Send(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = "1.001193.000.00.00.H57", unitId = unit, channel = "counter",
            applicant = new { fullName = "Nguyễn Văn An", idNumber = "٠٠١٢٠٣٠٠٤٥٦٧", phone = "٠٩١٢٣٤٥٦٧٨" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Names(problem, "applicant.idNumber");
        Names(problem, "applicant.phone");
    }

    [Fact]
    public async Task An_idempotency_key_is_for_one_request_and_a_replay_is_read_as_a_fresh_read_would_be()
    {
        var unit = await platform.NewCommuneAsync();
        var other = await platform.NewCommuneAsync();
        var (id, username, password) = await platform.AccountAsync(unit, "counter");
        var counter = await platform.TokenAsync(username, password);
        var key = Guid.NewGuid().ToString();
        async Task<(HttpStatusCode Status, JsonElement Body)> Intake(string token, string idNumber)
        {
            var request = platform.Request(HttpMethod.Post, "/api/dossiers", token, DossierFlowTests.NewDossier(unit, idNumber));
            request.Headers.Add("Idempotency-Key", key);
            return await platform.SendAsync(request);
        }

        var (created, first) = await Intake(counter, "001203009991");
        Assert.Equal(HttpStatusCode.Created, created);
        var (replayed, again) = await Intake(counter, "001203009991");
        Assert.True(replayed == HttpStatusCode.OK, $"{replayed} {again}");
        Assert.Equal(first.GetProperty("code").GetString(), again.GetProperty("code").GetString());
        var (different, problem) = await Intake(counter, "001203009992");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different);
        Names(problem, "Idempotency-Key");

        // Transferred (from tomorrow: today is the posting's first day), the official logs in again in the new unit: the
        // old unit's dossier is no longer theirs to see.
        var (moved, _) = await Send(HttpMethod.Post, $"/api/officials/{id}/transfer", await platform.TokenAsync(),
            new { toUnitId = other, effectiveOn = (await platform.TodayAsync()).AddDays(1).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, moved);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, "/api/admin/clock", await platform.TokenAsync(), new { advanceBy = "P1D" })).Status);
        var afterTransfer = await platform.TokenAsync(username, password);
        var (status, _) = await Intake(afterTransfer, "001203009991");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Answers_with_personal_data_are_not_stored_and_a_vietnamese_reason_passes_the_gateway()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var (_, dossier) = await Send(HttpMethod.Post, "/api/dossiers", counter, DossierFlowTests.NewDossier(unit, "001203007771"));
        var code = dossier.GetProperty("code").GetString()!;

        using var client = FromAddress.Client("127.0.0.1");
        using var request = platform.Request(HttpMethod.Get, "/api/dossiers/" + code, counter);
        request.Headers.TryAddWithoutValidation("X-Access-Reason", "Công dân hỏi tại quầy một cửa");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "a dossier read is not cached");

        var (_, reads) = await Send(HttpMethod.Get, $"/api/dossiers/{code}/reads", await platform.TokenAsync());
        Assert.Contains(reads.EnumerateArray(), r => r.GetProperty("reason").GetString() == "Công dân hỏi tại quầy một cửa");

        // An action's answer carries the applicant too: it is recorded like any other read.
        var readsBefore = reads.GetArrayLength();
        var (acted, _) = await Send(HttpMethod.Post, $"/api/dossiers/{code}/actions/withdraw", counter, new { reason = "Công dân rút hồ sơ" });
        Assert.Equal(HttpStatusCode.OK, acted);
        var (_, readsAfter) = await Send(HttpMethod.Get, $"/api/dossiers/{code}/reads", await platform.TokenAsync());
        Assert.Equal(readsBefore + 1, readsAfter.GetArrayLength());
    }

    [Fact]
    public async Task A_forwarded_address_is_believed_only_from_the_gateway()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var (_, dossier) = await Send(HttpMethod.Post, "/api/dossiers", counter, DossierFlowTests.NewDossier(unit, "001203007772"));
        var code = dossier.GetProperty("code").GetString()!;
        using var elsewhere = FromAddress.Client("127.0.0.2");
        foreach (var (baseUri, reason) in new[] { (platform.Gateway, "qua cổng"), (platform.Services["dossier"], "trực tiếp") })
        {
            using var request = platform.Request(HttpMethod.Get, "/api/dossiers/" + code, counter, baseUri: baseUri);
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            request.Headers.TryAddWithoutValidation("X-Access-Reason", reason);
            using var response = await elsewhere.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var (_, reads) = await Send(HttpMethod.Get, $"/api/dossiers/{code}/reads", await platform.TokenAsync());
        foreach (var reason in new[] { "qua cổng", "trực tiếp" })
            Assert.Equal("127.0.0.2", reads.EnumerateArray().Single(r => r.GetProperty("reason").GetString() == reason).GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_service_called_directly_applies_the_gateways_public_limit()
    {
        using var stranger = FromAddress.Client("127.0.0.7");
        HttpStatusCode? throttled = null;
        for (var i = 0; i < PlatformFixture.PublicPermitLimit + 5 && throttled is null; i++)
        {
            using var response = await stranger.GetAsync(new Uri(platform.Services["dossier"], "/api/public/dossiers/KHONG-CO-" + i));
            if (response.StatusCode == HttpStatusCode.TooManyRequests) throttled = response.StatusCode;
            else Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled);
    }

    [Fact]
    public async Task Anonymous_health_names_no_internal_address_and_the_admin_sees_them()
    {
        using var anonymous = await platform.Client.GetAsync(new Uri(platform.Gateway, "/health/ready"));
        var open = await anonymous.Content.ReadAsStringAsync();
        Assert.DoesNotContain("address", open);
        Assert.DoesNotContain("127.0.0.1", open);
        var (_, detailed) = await Send(HttpMethod.Get, "/health/ready", await platform.TokenAsync());
        Assert.All(detailed.GetProperty("services").EnumerateArray(), s => Assert.StartsWith("http://", s.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task One_official_holds_a_bounded_number_of_live_streams()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, viewer) = await platform.OfficialAsync(unit, "viewer");
        var streams = new List<SseClient>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                streams.Add(await SseClient.OpenAsync(new Uri(platform.Gateway, $"/api/events/stream?unitId={unit}"), viewer));
                Assert.Equal(HttpStatusCode.OK, streams[^1].Status);
            }
            await using var eleventh = await SseClient.OpenAsync(new Uri(platform.Gateway, $"/api/events/stream?unitId={unit}"), viewer);
            Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.Status);
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
        // A closed stream frees its place.
        await Eventually.True(async () =>
        {
            await using var again = await SseClient.OpenAsync(new Uri(platform.Gateway, $"/api/events/stream?unitId={unit}"), viewer);
            return again.Status == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(15), "a stream opens once the others closed");
    }

    [Fact]
    public async Task Feedback_tells_an_outsider_nothing_about_which_unit_holds_a_code()
    {
        var unit = await platform.NewCommuneAsync();
        var other = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(unit, "counter");
        var (_, dossier) = await Send(HttpMethod.Post, "/api/dossiers", counter, DossierFlowTests.NewDossier(unit, "001203007773"));
        var code = dossier.GetProperty("code").GetString()!;
        object Feedback(string dossierCode, Guid? unitId) => new
        {
            kind = "feedback", dossierCode, unitId, content = "Hồ sơ chậm", citizen = new { fullName = "Nguyễn Văn An", phone = "0912345678" },
        };

        var (wrongUnit, wrongProblem) = await Send(HttpMethod.Post, "/api/public/feedback", null, Feedback(code, other));
        var (unknown, unknownProblem) = await Send(HttpMethod.Post, "/api/public/feedback", null, Feedback(code + "9", other));
        Assert.Equal(HttpStatusCode.BadRequest, wrongUnit);
        Assert.Equal(unknown, wrongUnit);
        Assert.Equal(unknownProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name),
            wrongProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var (created, answer) = await Send(HttpMethod.Post, "/api/public/feedback", null, Feedback(code, null));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("unitId").ValueKind);
    }
}
