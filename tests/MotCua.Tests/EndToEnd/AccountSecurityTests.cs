using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Who gets in: tokens that stop working when the official's access changes, passwords the official and an admin
/// change, usernames that are one name whatever their case, and log-ins an outsider can slow only for themselves.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccountSecurityTests(PlatformFixture platform)
{
    /// <summary>The contract's bound: a token stops working within 30 s of the change.</summary>
    private static readonly TimeSpan Revocation = TimeSpan.FromSeconds(30);

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, object body, string? token = null, HttpClient? client = null)
    {
        if (client is null) return await platform.SendAsync(platform.Request(HttpMethod.Post, path, token, body));
        using var request = platform.Request(HttpMethod.Post, path, token, body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    private async Task<JsonElement> LogInAsync(string username, string password)
    {
        var (status, body) = await Post("/api/auth/token", new { username, password });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>One read each service answers for any official in scope, through the gateway or straight at the service.</summary>
    private IEnumerable<(string What, Uri? Base, string Path)> Reads(Guid unit, Guid official) =>
        new (string, Uri?, string)[]
        {
            ("gateway → personnel", null, $"/api/officials/{official}"),
            ("gateway → dossier", null, $"/api/dossiers?unitId={unit}"),
            ("gateway → evaluation", null, $"/api/evaluation/units/{unit}/trend"),
            ("gateway → notification", null, "/api/notifications?dossierCode=CHUA-CO"),
        }.Concat(platform.Services.Select(s => ($"{s.Key} directly", (Uri?)s.Value, s.Key switch
        {
            "personnel" => $"/api/officials/{official}",
            "dossier" => $"/api/dossiers?unitId={unit}",
            "evaluation" => $"/api/evaluation/units/{unit}/trend",
            _ => "/api/notifications?dossierCode=CHUA-CO",
        })));

    private async Task AllRefuseAsync(string token, Guid unit, Guid official, string change)
    {
        foreach (var (what, baseUri, path) in Reads(unit, official))
            await Eventually.True(async () =>
                (await platform.SendAsync(platform.Request(HttpMethod.Get, path, token, baseUri: baseUri))).Status == HttpStatusCode.Unauthorized,
                Revocation, $"{what} refuses the token after {change}");
    }

    private async Task AllAcceptAsync(string token, Guid unit, Guid official)
    {
        foreach (var (what, baseUri, path) in Reads(unit, official))
        {
            // An answer, whatever it says (a code nobody has is a 404): the token itself was accepted.
            var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Get, path, token, baseUri: baseUri));
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{what}: {status} {body}");
        }
    }

    [Fact]
    public async Task A_token_stops_working_everywhere_within_30_seconds_of_disabling_transfer_roles_or_a_new_password()
    {
        var unit = await platform.NewCommuneAsync();
        var other = await platform.NewCommuneAsync();
        var admin = await platform.TokenAsync();
        var changes = new (string Name, Func<Guid, Task> Make)[]
        {
            ("disabling", async id => Assert.Equal(HttpStatusCode.OK, (await Post($"/api/officials/{id}/disable", new { }, admin)).Status)),
            ("a transfer", async id => Assert.Equal(HttpStatusCode.OK, (await Post($"/api/officials/{id}/transfer",
                new { toUnitId = other, effectiveOn = (await platform.TodayAsync()).AddDays(1).ToString("yyyy-MM-dd") }, admin)).Status)),
            ("other roles", async id => Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Put,
                $"/api/officials/{id}/roles", admin, new { roles = new[] { "viewer" } }))).Status)),
            ("an admin's password reset", async id => Assert.Equal(HttpStatusCode.NoContent,
                (await Post($"/api/officials/{id}/password", new { newPassword = "mot-mat-khau-moi" }, admin)).Status)),
        };
        foreach (var (name, make) in changes)
        {
            var (id, username, password) = await platform.AccountAsync(unit, "leader");
            var login = await LogInAsync(username, password);
            var token = login.GetProperty("accessToken").GetString()!;
            await AllAcceptAsync(token, unit, id);

            await make(id);
            await AllRefuseAsync(token, unit, id, name);
            // The session goes too: its refresh token gets no new access token.
            var (renewed, _) = await Post("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
            Assert.Equal(HttpStatusCode.Unauthorized, renewed);
        }
    }

    [Fact]
    public async Task A_live_stream_ends_when_its_officials_access_changes()
    {
        var unit = await platform.NewCommuneAsync();
        var (id, token) = await platform.OfficialAsync(unit, "leader");
        await using var stream = await SseClient.OpenAsync(new Uri(platform.Gateway, $"/api/events/stream?unitId={unit}"), token);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.False(stream.Ended);

        Assert.Equal(HttpStatusCode.OK, (await Post($"/api/officials/{id}/disable", new { }, await platform.TokenAsync())).Status);
        // Checked at each event or heartbeat (15 s) against a version at most 5 s old.
        await Eventually.True(() => Task.FromResult(stream.Ended), Revocation, "the stream ends after the official is disabled");
    }

    [Fact]
    public async Task An_official_changes_their_password_and_the_old_tokens_and_password_stop_working()
    {
        var unit = await platform.NewCommuneAsync();
        var (id, username, password) = await platform.AccountAsync(unit, "counter");
        var token = (await LogInAsync(username, password)).GetProperty("accessToken").GetString()!;

        var refusals = new (object Body, string Field)[]
        {
            (new { currentPassword = "sai-mat-khau", newPassword = "mot-mat-khau-moi" }, "currentPassword"),
            (new { currentPassword = password, newPassword = "ngan" }, "newPassword"),
            (new { currentPassword = password, newPassword = "abc-" + username.ToUpperInvariant() }, "newPassword"),
            (new { currentPassword = password, newPassword = password }, "newPassword"),
            (new { currentPassword = password }, "newPassword"),
        };
        foreach (var (body, field) in refusals)
        {
            var (status, problem) = await Post("/api/auth/password", body, token);
            Assert.True(status == HttpStatusCode.BadRequest, $"{body}: {status} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("/api/auth/password", new { currentPassword = password, newPassword = "x-y-z-w-1-2" })).Status);

        var (changed, fresh) = await Post("/api/auth/password", new { currentPassword = password, newPassword = "mot-mat-khau-moi" }, token);
        Assert.True(changed == HttpStatusCode.OK, fresh.ToString());
        var freshToken = fresh.GetProperty("accessToken").GetString()!;
        await AllRefuseAsync(token, unit, id, "a password change");
        await AllAcceptAsync(freshToken, unit, id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("/api/auth/token", new { username, password })).Status);
        await LogInAsync(username, "mot-mat-khau-moi");
    }

    [Fact]
    public async Task A_refresh_gives_a_new_token_once_and_the_access_token_is_short_lived()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, username, password) = await platform.AccountAsync(unit, "specialist");
        var login = await LogInAsync(username, password);
        Assert.Equal(15 * 60, login.GetProperty("expiresIn").GetInt32());
        Assert.True(login.GetProperty("refreshExpiresIn").GetInt32() > 8 * 3600);

        var refresh = login.GetProperty("refreshToken").GetString();
        var (renewed, pair) = await Post("/api/auth/refresh", new { refreshToken = refresh });
        Assert.True(renewed == HttpStatusCode.OK, pair.ToString());
        var (status, _) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers?unitId={unit}", pair.GetProperty("accessToken").GetString()));
        Assert.Equal(HttpStatusCode.OK, status);
        // Used once: a copy of the old refresh token is worth nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("/api/auth/refresh", new { refreshToken = refresh })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/auth/refresh", new { refreshToken = pair.GetProperty("refreshToken").GetString() })).Status);
    }

    [Fact]
    public async Task Usernames_are_one_name_whatever_the_case_and_spaces_even_when_created_at_once()
    {
        var unit = await platform.NewCommuneAsync();
        var admin = await platform.TokenAsync();
        object Official(string username) => new
        {
            fullName = "Ngô Văn Trùng", gender = "male", birthDate = "1988-08-08", ethnicity = "Kinh", category = "civil_servant",
            title = "Văn phòng - Thống kê", unitId = unit, roles = new[] { "counter" },
            education = new { general = "upper_secondary", professional = "university", politicalTheory = "elementary", stateManagement = "none" },
            account = new { username, password = "mat-khau-an-toan" },
        };
        var officials = await platform.CountAsync("personnel", "SELECT count(*) FROM officials");

        var name = "Trung" + Guid.NewGuid().ToString("N")[..8];
        var both = await Task.WhenAll(
            Post("/api/officials", Official(name), admin),
            Post("/api/officials", Official(name.ToLowerInvariant() + " "), admin));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], both.Select(r => r.Status).Order());
        var refused = both.Single(r => r.Status == HttpStatusCode.Conflict).Body;
        Assert.True(refused.GetProperty("errors").TryGetProperty("account.username", out _), refused.ToString());
        Assert.Equal(officials + 1, await platform.CountAsync("personnel", "SELECT count(*) FROM officials"));

        var (admin2, problem) = await Post("/api/officials", Official(" ADMIN "), admin);
        Assert.Equal(HttpStatusCode.Conflict, admin2);
        Assert.True(problem.GetProperty("errors").TryGetProperty("account.username", out _));
        // Whichever spelling logs in, it is the one account; the installation's admin still logs in.
        await LogInAsync(" " + name.ToUpperInvariant(), "mat-khau-an-toan");
        await LogInAsync("Admin", PlatformFixture.AdminPassword);
    }

    [Fact]
    public async Task An_outsiders_failed_log_ins_slow_only_the_outsider_and_tell_nothing_about_which_names_exist()
    {
        var unit = await platform.NewCommuneAsync();
        var (_, username, password) = await platform.AccountAsync(unit, "leader");
        using var outsider = FromAddress.Client("127.0.0.2");
        outsider.BaseAddress = platform.Gateway;

        // An unknown name is answered as a wrong password is: same status, same words, about the same time.
        var unknown = "khong-ai-" + Guid.NewGuid().ToString("N")[..8];
        var (wrongStatus, wrong) = await Post("/api/auth/token", new { username, password = "sai-mat-khau" }, client: outsider);
        var (unknownStatus, nobody) = await Post("/api/auth/token", new { username = unknown, password = "sai-mat-khau" }, client: outsider);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal(wrongStatus, unknownStatus);
        Assert.Equal(wrong.GetProperty("detail").GetString(), nobody.GetProperty("detail").GetString());
        Assert.Equal(wrong.GetProperty("title").GetString(), nobody.GetProperty("title").GetString());

        // Ten more guesses at the official's name from the outsider's address: slowed, never a lock on the account.
        var throttled = 0;
        for (var i = 0; i < 10; i++)
        {
            var (status, _) = await Post("/api/auth/token", new { username, password = "doan-" + i }, client: outsider);
            Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, status.ToString());
            if (status == HttpStatusCode.TooManyRequests) throttled++;
        }
        Assert.True(throttled > 0, "the outsider is slowed");
        var (stillSlowed, slowed) = await Post("/api/auth/token", new { username, password }, client: outsider);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillSlowed);
        Assert.True(slowed.TryGetProperty("detail", out _), slowed.ToString());
        // The official at their own counter logs in at once.
        await LogInAsync(username, password);

        // Sent all at once, guesses still take their turn: three free ones are checked, the rest wait.
        using var burst = FromAddress.Client("127.0.0.6");
        burst.BaseAddress = platform.Gateway;
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Post("/api/auth/token", new { username, password = "cung-luc-" + i }, client: burst)));
        var checkedGuesses = answers.Count(a => a.Status == HttpStatusCode.Unauthorized);
        Assert.True(checkedGuesses <= 4, $"{checkedGuesses} of 10 simultaneous guesses had their password checked");
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, a.Status.ToString()));

        // Timing: the unknown name costs the same password check as a wrong password (it was 2 ms against 57 ms).
        using var timer = FromAddress.Client("127.0.0.3");
        timer.BaseAddress = platform.Gateway;
        var known = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await Post("/api/auth/token", new { username, password = "sai-" + i }, client: timer);
            known.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await Post("/api/auth/token", new { username = unknown + i, password = "sai-" + i }, client: timer);
            unknownTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        var (knownMedian, unknownMedian) = (known.Order().ElementAt(1), unknownTimes.Order().ElementAt(1));
        Console.WriteLine($"log-in refusal, median of 3: known name {knownMedian:F1} ms, unknown name {unknownMedian:F1} ms");
        Assert.True(unknownMedian > knownMedian / 3, $"unknown {unknownMedian:F1} ms against known {knownMedian:F1} ms");
    }
}
