using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MotCua.Tests.Support;

namespace MotCua.Tests.Browser;

/// <summary>
/// The dashboard and the counter workbench in Debian's Chromium, driven by Playwright, against the whole platform
/// through the gateway. Screenshots go to <c>bin/…/screenshots/</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class BrowserTests(PlatformFixture platform) : IAsyncLifetime
{
    /// <summary>What the build machines need: no sandbox as root, no GPU, and nothing that reaches for the network.</summary>
    private static readonly string[] ChromiumFlags =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MOTCUA_CHROMIUM") ?? "/usr/bin/chromium", Headless = true, Args = ChromiumFlags,
        });
        Directory.CreateDirectory(Screenshots);
        // Playwright's own default waits take their patience from the one setting too (MOTCUA_TEST_PATIENCE).
        Assertions.SetDefaultExpectTimeout(Patience.Milliseconds(5_000));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [Fact]
    public async Task A_dossier_taken_at_the_counter_shows_live_on_the_district_dashboard_and_its_apology_after_the_due_time()
    {
        var district = await platform.NewDistrictAsync();
        var commune = await platform.NewCommuneAsync(district);
        var neighbour = await platform.NewCommuneAsync(district);
        var leader = await platform.AccountAsync(district, "leader");
        var counter = await platform.AccountAsync(commune, "counter");
        var stranger = await platform.AccountAsync(neighbour, "counter");
        var admin = await platform.TokenAsync();
        var procedure = await platform.ProcedureAsync("Đăng ký khai sinh (thử trên trình duyệt)", 1, PlatformFixture.OneStopSteps(1, 5, 1, 1));

        // The district leader's dashboard, at a 1366×768 counter screen's size.
        var dashboard = await SignedInPageAsync("/dashboard", leader.Username, leader.Password, 1366, 768);
        var receivedToday = dashboard.Locator("#t-received");
        await Assertions.Expect(receivedToday).ToHaveTextAsync("0", new() { Timeout = Patience.Milliseconds(15_000) });
        await Assertions.Expect(dashboard.Locator("#stream-state")).ToHaveTextAsync(new Regex("Trực tiếp"), new() { Timeout = Patience.Milliseconds(15_000) });

        // The commune's counter officer takes a dossier; the form first shows the API's own field errors.
        var workbench = await SignedInPageAsync("/counter", counter.Username, counter.Password, 1366, 768);
        await workbench.SelectOptionAsync("#procedureCode", procedure);
        await workbench.FillAsync("#applicant-fullName", "Nguyễn Văn Bình");
        await workbench.FillAsync("#applicant-idNumber", "0011");
        await workbench.ClickAsync("button[type=submit]");
        await Assertions.Expect(workbench.Locator("#error-applicant-idNumber")).Not.ToBeEmptyAsync();
        await workbench.FillAsync("#applicant-idNumber", "001190001122");
        await workbench.FillAsync("#papers", "Tờ khai đăng ký khai sinh\nGiấy chứng sinh");
        await workbench.ClickAsync("button[type=submit]");
        var code = (await workbench.Locator("#receipt-code").TextContentAsync(new() { Timeout = Patience.Milliseconds(15_000) }))!.Trim();
        Assert.Matches(DossierCode(), code);
        await Assertions.Expect(workbench.Locator("#queue")).ToContainTextAsync(code);
        await workbench.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "counter.png"), FullPage = true });

        // The district's dashboard moves by itself, without a reload. How fast is the feed benchmark's figure
        // (bench.sh feed), not a timer here: on two shared cores a timed assertion only measures the neighbours.
        await Assertions.Expect(receivedToday).ToHaveTextAsync("1", new() { Timeout = Patience.Milliseconds(10_000) });
        await Assertions.Expect(dashboard.Locator("#m-received")).ToHaveTextAsync("1", new() { Timeout = Patience.Milliseconds(10_000) });
        await Assertions.Expect(dashboard.Locator("#ticker")).ToContainTextAsync(code, new() { Timeout = Patience.Milliseconds(10_000) });

        // Past the due time the platform apologises on its own; the dashboard shows it and lists the dossier as late.
        var (_, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}", admin));
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", admin,
            new { advanceTo = dossier.GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1) }))).Status);
        await Assertions.Expect(dashboard.Locator("#ticker")).ToContainTextAsync("Xin lỗi công dân", new() { Timeout = Patience.Milliseconds(30_000) });
        await Assertions.Expect(dashboard.Locator("#late")).ToContainTextAsync(code, new() { Timeout = Patience.Milliseconds(10_000) });
        await Assertions.Expect(dashboard.Locator("#m-apologies")).ToHaveTextAsync("1", new() { Timeout = Patience.Milliseconds(10_000) });
        await dashboard.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });

        // At the counter, the dossier's control sheet and its apology letter open from the queue.
        await workbench.SelectOptionAsync("#status", "received");
        await workbench.ClickAsync($"button[data-code='{code}'][data-document=sheet]");
        await Assertions.Expect(workbench.Locator("#document-title")).ToContainTextAsync("Phiếu kiểm soát");
        await Assertions.Expect(workbench.FrameLocator("#document").Locator("body")).ToContainTextAsync(code);
        await workbench.ClickAsync($"button[data-code='{code}'][data-document=apology]");
        await Assertions.Expect(workbench.Locator("#document-title")).ToContainTextAsync("Phiếu xin lỗi");
        await Assertions.Expect(workbench.FrameLocator("#document").Locator("body")).ToContainTextAsync(code);
        lock (_pageErrors) Assert.DoesNotContain(_pageErrors, error => error.Contains("Content Security Policy", StringComparison.Ordinal));

        // The citizen withdraws it: the action asks for the reason in a dialog, and the dossier leaves the open queue.
        await workbench.ClickAsync($"button[data-code='{code}'][data-action=withdraw]");
        await Assertions.Expect(workbench.Locator("#act")).ToBeVisibleAsync();
        await workbench.FillAsync("#act-reason", "Công dân xin rút hồ sơ để bổ sung giấy tờ");
        await workbench.ClickAsync("#act button[value=confirm]");
        await Assertions.Expect(workbench.Locator("#queue")).Not.ToContainTextAsync(code, new() { Timeout = Patience.Milliseconds(10_000) });
        await workbench.SelectOptionAsync("#status", "withdrawn");
        await Assertions.Expect(workbench.Locator("#queue")).ToContainTextAsync(code);

        // An official of the neighbouring commune sees neither the dossier nor its apology.
        var elsewhere = await SignedInPageAsync("/dashboard", stranger.Username, stranger.Password, 390, 844);
        await Assertions.Expect(elsewhere.Locator("#t-received")).ToHaveTextAsync("0", new() { Timeout = Patience.Milliseconds(15_000) });
        await Assertions.Expect(elsewhere.Locator("#m-apologies")).ToHaveTextAsync("0");
        Assert.DoesNotContain(code, await elsewhere.Locator("main").InnerTextAsync());
        Assert.Equal(1, await elsewhere.Locator("#unit option").CountAsync());
        await elsewhere.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task A_land_office_leader_assigns_a_communes_dossier_and_the_specialist_completes_her_step_in_the_browser()
    {
        var admin = await platform.TokenAsync();
        var commune = await platform.NewCommuneAsync();
        var landOffice = await platform.NewAgencyAsync("land_registration", platform.Province, commune);
        var (_, counter) = await platform.OfficialAsync(commune, "counter");
        var landLeader = await platform.AccountAsync(landOffice, "leader");
        var landSpecialist = await platform.AccountAsync(landOffice, "specialist");
        var code = "LT." + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.Created, (await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/procedures", admin, new
        {
            code, name = "Đăng ký đất đai lần đầu", field = "Đất đai", processingTime = new { value = 2, unit = "workingDays" },
            steps = new object[]
            {
                new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Thẩm định hồ sơ đất đai", role = "specialist", hours = 8, unitKind = "land_registration" },
                new { name = "Chủ tịch UBND xã ký", role = "leader", hours = 4 }, new { name = "Trả kết quả", role = "counter", hours = 2 },
            },
        }))).Status);
        var (_, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = code, unitId = commune, channel = "counter", applicant = new { fullName = "Lê Văn Thửa", idNumber = "046190009911" },
        }));
        var dossierCode = dossier.GetProperty("code").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{dossierCode}/actions/transfer", counter, new { }))).Status);

        // The land office's leader finds it waiting for the office and gives it to the specialist.
        var leaderPage = await SignedInPageAsync("/counter", landLeader.Username, landLeader.Password, 1366, 768);
        await leaderPage.SelectOptionAsync("#view", "waiting=true");
        await leaderPage.ClickAsync($"button[data-code='{dossierCode}'][data-action=assign]");
        await Assertions.Expect(leaderPage.Locator("#act-assignee")).ToBeVisibleAsync();
        await leaderPage.SelectOptionAsync("#act-assignee", landSpecialist.Id.ToString());
        await leaderPage.ClickAsync("#act button[value=confirm]");
        await Assertions.Expect(leaderPage.Locator("#action-error")).ToBeEmptyAsync();

        // The specialist finds it assigned to her and completes her step; it goes back to the commune for the chairman's signature.
        var page = await SignedInPageAsync("/counter", landSpecialist.Username, landSpecialist.Password, 1366, 768);
        await page.SelectOptionAsync("#view", "assignedTo=me");
        await Assertions.Expect(page.Locator("#queue")).ToContainTextAsync(dossierCode, new() { Timeout = Patience.Milliseconds(10_000) });
        await page.ClickAsync($"button[data-code='{dossierCode}'][data-action=complete-step]");
        await Assertions.Expect(page.Locator("#queue")).Not.ToContainTextAsync(dossierCode, new() { Timeout = Patience.Milliseconds(10_000) });
        var (_, after) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{dossierCode}", counter));
        Assert.Equal(2, after.GetProperty("currentStep").GetInt32());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("steps")[2].GetProperty("unitId").ValueKind);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "land-office.png"), FullPage = true });
    }

    /// <summary>The province drafts apologies for the leader: the draft waits on the leader's workbench and goes out with one click.</summary>
    [Fact]
    public async Task A_leader_signs_the_drafted_apology_from_the_workbench_with_one_click()
    {
        var admin = await platform.TokenAsync();
        var commune = await platform.NewCommuneAsync();
        var (_, counter) = await platform.OfficialAsync(commune, "counter");
        var leader = await platform.AccountAsync(commune, "leader");
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/apology-policies/{commune}", admin,
            new { mode = "draft" }))).Status);
        var procedure = await platform.ProcedureAsync("Chứng thực bản sao (thử trên trình duyệt)", 1, PlatformFixture.OneStopSteps(1, 5, 1, 1));
        var (_, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = commune, channel = "counter", applicant = new { fullName = "Trần Thị Hẹn", idNumber = "046190004455" },
        }));
        var code = dossier.GetProperty("code").GetString()!;
        // The reception step past its own deadline, the due time still ahead: the window's letter is drafted for the leader.
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", admin,
            new { advanceTo = dossier.GetProperty("steps")[0].GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1) }))).Status);
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = $1 AND a.state = 'draft'", code) == 1,
            TimeSpan.FromSeconds(20), "the drafted letter");

        var page = await SignedInPageAsync("/counter", leader.Username, leader.Password, 1366, 768);
        var drafts = page.Locator("#drafts");
        await Assertions.Expect(drafts).ToContainTextAsync(code, new() { Timeout = Patience.Milliseconds(10_000) });
        await page.ClickAsync($"#drafts button[data-code='{code}']:not([data-view])");
        await Assertions.Expect(drafts).Not.ToContainTextAsync(code, new() { Timeout = Patience.Milliseconds(10_000) });
        await Assertions.Expect(page.Locator("#drafts-error")).ToBeEmptyAsync();
        var (_, letters) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter));
        var letter = Assert.Single(letters.EnumerateArray());
        Assert.Equal("issued", letter.GetProperty("state").GetString());
        Assert.Equal(leader.Id, letter.GetProperty("signer").GetProperty("officialId").GetGuid());
    }

    [Fact]
    public async Task After_a_network_drop_the_dashboard_reconnects_and_gets_what_it_missed()
    {
        var district = await platform.NewDistrictAsync();
        var commune = await platform.NewCommuneAsync(district);
        var leader = await platform.AccountAsync(district, "leader");
        var (_, counter) = await platform.OfficialAsync(commune, "counter");
        var procedure = await platform.ProcedureAsync("Chứng thực chữ ký", 1, [("Tiếp nhận", "counter", 4), ("Trả kết quả", "counter", 4)]);
        var admin = await platform.TokenAsync();

        // The browser reaches the gateway through a gate that can cut its connections.
        await using var network = new TcpGate(platform.Gateway.Port);
        network.Open();
        var dashboard = await SignedInPageAsync("/dashboard", leader.Username, leader.Password, 1366, 768,
            new Uri($"http://127.0.0.1:{network.Port}/"));
        var state = dashboard.Locator("#stream-state");
        await Assertions.Expect(state).ToHaveTextAsync(new Regex("Trực tiếp"), new() { Timeout = Patience.Milliseconds(15_000) });

        network.Close();
        await Assertions.Expect(state).ToHaveTextAsync(new Regex("Mất kết nối"), new() { Timeout = Patience.Milliseconds(10_000) });
        await using var feed = await SseClient.OpenAsync(new Uri(platform.Gateway, $"/api/events/stream?unitId={district}"), admin);
        // A dossier taken while the dashboard is cut off reaches it only by the resume after Last-Event-ID.
        var (created, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = commune, channel = "counter", applicant = new { fullName = "Hồ Thị Lan", idNumber = "001190007788" },
        }));
        Assert.Equal(HttpStatusCode.Created, created);
        var code = dossier.GetProperty("code").GetString()!;
        await Eventually.True(() => Task.FromResult(feed.Events.Any(e => e.Data.Contains(code, StringComparison.Ordinal))), TimeSpan.FromSeconds(10),
            "the feed has the dossier before the dashboard is back");
        network.Open();
        await Assertions.Expect(state).ToHaveTextAsync(new Regex("Trực tiếp"), new() { Timeout = Patience.Milliseconds(20_000) });
        await Assertions.Expect(dashboard.Locator("#ticker")).ToContainTextAsync(code, new() { Timeout = Patience.Milliseconds(10_000) });
        await Assertions.Expect(dashboard.Locator("#t-received")).ToHaveTextAsync("1", new() { Timeout = Patience.Milliseconds(10_000) });
    }

    [Fact]
    public async Task The_workbench_is_usable_from_the_keyboard_alone()
    {
        var commune = await platform.NewCommuneAsync();
        var counter = await platform.AccountAsync(commune, "counter");
        var page = await NewPageAsync(1366, 768);
        await page.GotoAsync(new Uri(platform.Gateway, "/counter").ToString());
        await Assertions.Expect(page.Locator("#username")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(counter.Username);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(counter.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#procedureCode")).ToBeVisibleAsync(new() { Timeout = Patience.Milliseconds(15_000) });
        Assert.Empty(_pageErrors);
        // Every form control has a label the screen reader reads out.
        foreach (var id in new[] { "procedureCode", "channel", "applicant-fullName", "applicant-idNumber", "applicant-phone", "papers", "status" })
            Assert.Equal(1, await page.Locator($"label[for={id}]").CountAsync());
    }

    private readonly List<string> _pageErrors = [];

    private async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "vi-VN" });
        context.SetDefaultTimeout(Patience.Milliseconds(30_000));
        var page = await context.NewPageAsync();
        // A script error on a page is a failure of its own, reported with whatever assertion trips over it.
        page.PageError += (_, error) => { lock (_pageErrors) _pageErrors.Add(error); };
        page.Console += (_, message) => { if (message.Type == "error") lock (_pageErrors) _pageErrors.Add(message.Text); };
        return page;
    }

    private async Task<IPage> SignedInPageAsync(string path, string username, string password, int width, int height, Uri? through = null)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync(new Uri(through ?? platform.Gateway, path).ToString());
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login button[type=submit]");
        try
        {
            await Assertions.Expect(page.Locator("#login")).ToHaveCountAsync(0, new() { Timeout = Patience.Milliseconds(15_000) });
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"{path} did not open after logging in; page errors: {string.Join(" | ", _pageErrors)}", e);
        }
        return page;
    }

    [GeneratedRegex(@"^[\d.A-Z]+-\d{6}-\d{4}$")]
    private static partial Regex DossierCode();
}
