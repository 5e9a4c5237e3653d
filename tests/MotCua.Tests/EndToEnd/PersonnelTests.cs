using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>Personnel through the gateway: a small province built by hand, its officials, logins, report and merge.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PersonnelTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(15);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, object body, string? token = null) =>
        await platform.SendAsync(platform.Request(HttpMethod.Post, path, token ?? await platform.TokenAsync(), body));

    private async Task<JsonElement> Get(string path) =>
        (await platform.SendAsync(platform.Request(HttpMethod.Get, path, await platform.TokenAsync()))).Body;

    private async Task<Guid> Unit(string code, string type, Guid? parentId, string? agencyCode = null)
    {
        var (status, unit) = await Post("/api/units", new { code = _run + code, name = "Đơn vị " + code, type, parentId, agencyCode });
        Assert.True(status == HttpStatusCode.Created, unit.ToString());
        return unit.GetProperty("id").GetGuid();
    }

    private static object Official(Guid unitId, string name, string gender, string category, string professional, string political,
        string[] roles, object? account = null, string ethnicity = "Kinh", string birthDate = "1985-04-30") => new
    {
        fullName = name, gender, birthDate, ethnicity, category, title = "Tư pháp - Hộ tịch", unitId,
        education = new { general = "upper_secondary", professional, politicalTheory = political, stateManagement = "none" },
        roles, account,
    };

    private async Task<Guid> Register(object official)
    {
        var (status, body) = await Post("/api/officials", official);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>Province → district → communes A and B; A has three officials, B two, each counted by hand below.</summary>
    private async Task<(Guid Province, Guid District, Guid A, Guid B, Guid[] Officials)> SmallProvinceAsync()
    {
        var agency = $"000.00.{Random.Shared.Next(10, 99)}.{_run[..4]}";
        var province = await Unit("-P", "province", null);
        var district = await Unit("-D", "district", province);
        var a = await Unit("-A", "commune", district, agency);
        var b = await Unit("-B", "ward", district);
        var officials = new[]
        {
            // A: civil servant at university level (meets), elected cadre at elementary (meets: sơ cấp is enough for cadres),
            // civil servant at elementary (does not meet: needs trung cấp). B: two that meet, one Tà Ôi.
            await Register(Official(a, "Nguyễn Thị Hoa", "female", "civil_servant", "university", "intermediate", ["counter"],
                new { username = $"{_run}.counter", password = "mat-khau-an-toan" })),
            await Register(Official(a, "Trần Văn Bình", "male", "elected_cadre", "elementary", "intermediate", ["leader"],
                new { username = $"{_run}.leader", password = "mat-khau-an-toan" })),
            await Register(Official(a, "Lê Văn Cường", "male", "civil_servant", "elementary", "none", ["specialist"])),
            await Register(Official(b, "Hồ Thị Mai", "female", "civil_servant", "college", "elementary", ["counter"], ethnicity: "Tà Ôi")),
            await Register(Official(b, "Phạm Văn Dũng", "male", "elected_cadre", "master", "advanced", ["leader"])),
        };
        return (province, district, a, b, officials);
    }

    [Fact]
    public async Task Officials_log_in_with_their_unit_and_the_staffing_report_matches_a_hand_count()
    {
        var (province, _, a, _, officials) = await SmallProvinceAsync();
        // The 2025 two-tier structure lives beside the three tiers: a ward straight under the province.
        var twoTier = await Unit("-W", "ward", province);
        Assert.Equal(province, (await Get($"/api/units/{twoTier}")).GetProperty("parentId").GetGuid());

        var (_, login) = await Post("/api/auth/token", new { username = $"{_run}.counter", password = "mat-khau-an-toan" });
        var claims = new JsonWebToken(login.GetProperty("accessToken").GetString());
        Assert.Equal(officials[0].ToString(), claims.Subject);
        Assert.Equal(a.ToString(), claims.GetClaim("unit").Value);
        Assert.Equal("counter", claims.GetClaim("role").Value);

        var whole = await Get($"/api/reports/staffing?unitId={province}");
        Assert.Equal(5, whole.GetProperty("total").GetInt32());
        Assert.Equal(3, Count(whole, "byCategory", "civil_servant"));
        Assert.Equal(2, Count(whole, "byCategory", "elected_cadre"));
        Assert.Equal(2, Count(whole, "byGender", "female"));
        Assert.Equal(1, whole.GetProperty("ethnicMinority").GetProperty("count").GetInt32());
        Assert.Equal(20.00m, whole.GetProperty("ethnicMinority").GetProperty("percent").GetDecimal());
        Assert.Equal(2, Count(whole, "professional", "elementary"));
        Assert.Equal(1, Count(whole, "politicalTheory", "none"));
        Assert.Equal(4, whole.GetProperty("meetingStandard").GetProperty("count").GetInt32());
        Assert.Equal(80.00m, whole.GetProperty("meetingStandard").GetProperty("percent").GetDecimal());
        Assert.Equal(3, whole.GetProperty("communes").GetProperty("total").GetInt32());
        Assert.Equal(1, whole.GetProperty("communes").GetProperty("allUpToStandard").GetInt32());

        var commune = await Get($"/api/reports/staffing?unitId={a}");
        Assert.Equal(3, commune.GetProperty("total").GetInt32());
        Assert.Equal(2, commune.GetProperty("meetingStandard").GetProperty("count").GetInt32());
        Assert.Equal(66.67m, commune.GetProperty("meetingStandard").GetProperty("percent").GetDecimal());
        Assert.Equal(0, commune.GetProperty("communes").GetProperty("allUpToStandard").GetInt32());

        using var csv = await platform.Client.SendAsync(platform.Request(HttpMethod.Get,
            $"/api/reports/staffing?unitId={a}&format=csv", await platform.TokenAsync()));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("standard,meeting,2,66.67", await csv.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_service_keeps_its_own_copy_of_the_units_and_officials()
    {
        var (_, _, a, _, officials) = await SmallProvinceAsync();
        foreach (var service in new[] { "dossier", "evaluation", "notification" })
        {
            await Eventually.True(async () => await platform.CountAsync(service,
                "SELECT count(*) FROM unit_directory WHERE id = $1 AND agency_code IS NOT NULL", a) == 1, Seconds, $"{service} knows commune A");
            await Eventually.True(async () => await platform.CountAsync(service,
                "SELECT count(*) FROM official_postings WHERE official_id = ANY($1)", officials) == officials.Length, Seconds,
                $"{service} knows the officials");
        }
        var agency = (await Get($"/api/units/{a}")).GetProperty("agencyCode").GetString();
        var (status, dossier) = await Post("/api/dossiers", DossierFlowTests.NewDossier(a));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.StartsWith(agency + "-", dossier.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_merge_moves_the_officials_on_its_date_and_leaves_the_past_as_it_was()
    {
        var (province, district, a, b, officials) = await SmallProvinceAsync();
        var today = await platform.TodayAsync();
        var date = today.AddDays(10);
        var (status, merge) = await Post("/api/units/merge", new
        {
            sourceIds = new[] { a, b },
            into = new { code = _run + "-AB", name = "Xã A-B", type = "commune", parentId = district },
            effectiveOn = date.ToString("yyyy-MM-dd"),
        });
        Assert.True(status == HttpStatusCode.Created, merge.ToString());
        var merged = merge.GetProperty("unit").GetProperty("id").GetGuid();
        Assert.Equal(officials.Order(), merge.GetProperty("movedOfficialIds").EnumerateArray().Select(e => e.GetGuid()).Order());

        var before = await Get($"/api/reports/staffing?unitId={a}&asOf={date.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(3, before.GetProperty("total").GetInt32());
        Assert.Equal(a, before.GetProperty("answeredBy").GetGuid());

        var after = await Get($"/api/reports/staffing?unitId={a}&asOf={date:yyyy-MM-dd}");
        Assert.Equal(merged, after.GetProperty("answeredBy").GetGuid());
        Assert.Equal(5, after.GetProperty("total").GetInt32());
        Assert.Equal(1, after.GetProperty("communes").GetProperty("total").GetInt32());

        Assert.Equal(new HashSet<Guid> { a, b }, await UnitIds($"/api/units?parentId={district}"));
        Assert.Equal(new HashSet<Guid> { district, merged },
            await UnitIds($"/api/units?parentId={province}&descendants=true&asOf={date:yyyy-MM-dd}"));

        var provinceAfter = await Get($"/api/reports/staffing?unitId={province}&asOf={date:yyyy-MM-dd}");
        Assert.Equal(5, provinceAfter.GetProperty("total").GetInt32());
        var postings = (await Get($"/api/officials/{officials[0]}")).GetProperty("postings");
        Assert.Equal([a, merged], postings.EnumerateArray().Select(p => p.GetProperty("unitId").GetGuid()));

        var (again, _) = await Post("/api/units/merge", new
        {
            sourceIds = new[] { a, merged },
            into = new { code = _run + "-X", name = "X", type = "commune", parentId = district },
            effectiveOn = date.AddDays(5).ToString("yyyy-MM-dd"),
        });
        Assert.Equal(HttpStatusCode.Conflict, again);
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM unit_directory WHERE id = ANY($1) AND merged_into = $2", new[] { a, b }, merged) == 2,
            Seconds, "Dossier's copy knows the merge");
    }

    [Fact]
    public async Task Bad_personnel_input_is_refused_with_the_field_named_and_nothing_half_written()
    {
        var (province, district, a, b, _) = await SmallProvinceAsync();
        var otherProvince = await Unit("-P2", "province", null);
        var otherCommune = await Unit("-C2", "commune", await Unit("-D2", "district", otherProvince));

        await Refused(HttpStatusCode.BadRequest, "parentId", "/api/units", new { code = _run + "-Z", name = "Z", type = "commune", parentId = Guid.NewGuid() });
        await Refused(HttpStatusCode.Conflict, "code", "/api/units", new { code = _run + "-A", name = "A again", type = "commune", parentId = district });
        await Refused(HttpStatusCode.BadRequest, "parentId", "/api/units", new { code = _run + "-Q", name = "Q", type = "commune" });
        await Refused(HttpStatusCode.BadRequest, "type", "/api/units", new { code = _run + "-Q", name = "Q", type = "village", parentId = district });
        // A merge that would otherwise be valid: on a day ahead of the platform's clock, whatever other tests moved it to.
        var mergeDay = (await platform.TodayAsync()).AddDays(1).ToString("yyyy-MM-dd");
        await Refused(HttpStatusCode.BadRequest, "sourceIds", "/api/units/merge", new
        {
            sourceIds = new[] { a, otherCommune }, into = new { code = _run + "-M1", name = "M", type = "commune", parentId = district },
            effectiveOn = mergeDay,
        });
        await Refused(HttpStatusCode.BadRequest, "into.parentId", "/api/units/merge", new
        {
            sourceIds = new[] { a, b }, into = new { code = _run + "-M2", name = "M", type = "commune", parentId = a },
            effectiveOn = mergeDay,
        });
        await Refused(HttpStatusCode.BadRequest, "birthDate", "/api/officials",
            Official(a, "Ngô Văn Tương Lai", "male", "civil_servant", "university", "none", ["viewer"],
                birthDate: (await platform.TodayAsync()).AddYears(1).ToString("yyyy-MM-dd")));
        await Refused(HttpStatusCode.BadRequest, "education.professional", "/api/officials",
            Official(a, "Ngô Văn Sai", "male", "civil_servant", "phd", "none", ["viewer"]));

        var before = await platform.CountAsync("personnel", "SELECT count(*) FROM officials");
        await Refused(HttpStatusCode.Conflict, "account.username", "/api/officials",
            Official(a, "Ngô Thị Trùng", "female", "civil_servant", "university", "none", ["counter"],
                new { username = $"{_run}.counter", password = "mat-khau-khac-nhau" }));
        Assert.Equal(before, await platform.CountAsync("personnel", "SELECT count(*) FROM officials"));

        var today = await platform.TodayAsync();
        var (merged, _) = await Post("/api/units/merge", new
        {
            sourceIds = new[] { a, b }, into = new { code = _run + "-AB", name = "AB", type = "commune", parentId = district },
            effectiveOn = today.ToString("yyyy-MM-dd"),
        });
        Assert.Equal(HttpStatusCode.Created, merged);
        var transferee = await Register(Official(otherCommune, "Vũ Văn Chuyển", "male", "civil_servant", "university", "none", ["viewer"]));
        await Refused(HttpStatusCode.Conflict, "toUnitId", $"/api/officials/{transferee}/transfer",
            new { toUnitId = a, effectiveOn = today.AddDays(1).ToString("yyyy-MM-dd") });
    }

    [Fact]
    public async Task Disabling_the_official_ends_their_log_ins_and_every_copy_knows()
    {
        var (_, _, _, _, officials) = await SmallProvinceAsync();
        var username = $"{_run}.leader";
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/auth/token", new { username, password = "mat-khau-an-toan" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await Post($"/api/officials/{officials[1]}/disable", new { })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("/api/auth/token", new { username, password = "mat-khau-an-toan" })).Status);
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM official_directory WHERE id = $1 AND disabled", officials[1]) == 1, Seconds, "Dossier's copy knows");
    }

    [Fact]
    public async Task The_demo_province_reproduces_the_seed_figures_exactly()
    {
        var (status, demo) = await Post("/api/admin/demo", new { seed = 7 });
        Assert.True(status == HttpStatusCode.Created, demo.ToString());
        var report = await Get($"/api/reports/staffing?unitId={demo.GetProperty("provinceId").GetGuid()}");

        // Seed 002: 1,597 cadres and 1,758 civil servants; university 59.1% / 67.5%, college 2.2% / 6.8%, apportioned by
        // largest remainder: cadres 944 university, 35 college, 527 intermediate, 64 elementary, 16 master, 11 none;
        // civil servants 1,187, 119, 404, 30, 18, 0.
        Assert.Equal(3355, report.GetProperty("total").GetInt32());
        Assert.Equal(1597, Count(report, "byCategory", "elected_cadre"));
        Assert.Equal(2131, Count(report, "professional", "university"));
        Assert.Equal(154, Count(report, "professional", "college"));
        Assert.Equal(931, Count(report, "professional", "intermediate"));
        Assert.Equal(94, Count(report, "professional", "elementary"));
        Assert.Equal(34, Count(report, "professional", "master"));
        Assert.Equal(11, Count(report, "professional", "none"));
        // Political theory at intermediate or higher: 83.5% of cadres (1,118 + 215), 42.6% of civil servants (668 + 81).
        Assert.Equal(1786, Count(report, "politicalTheory", "intermediate"));
        Assert.Equal(296, Count(report, "politicalTheory", "advanced"));
        Assert.Equal(152, report.GetProperty("communes").GetProperty("total").GetInt32());
        foreach (var breakdown in new[] { "byCategory", "byGender", "generalEducation", "professional", "politicalTheory", "stateManagement" })
            Assert.Equal(3355, report.GetProperty(breakdown).EnumerateObject().Sum(p => p.Value.GetProperty("count").GetInt32()));

        var (_, login) = await Post("/api/auth/token", new { username = demo.GetProperty("sampleUsername").GetString(), password = "motcua-demo" });
        Assert.True(login.TryGetProperty("accessToken", out _));
        var (twice, _) = await Post("/api/admin/demo", new { seed = 7 });
        Assert.Equal(HttpStatusCode.Conflict, twice);
    }

    private async Task Refused(HttpStatusCode expected, string field, string path, object body)
    {
        var (status, problem) = await Post(path, body);
        Assert.True(status == expected, $"{path} {field}: {status} {problem}");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    private async Task<HashSet<Guid>> UnitIds(string path) =>
        (await Get(path)).GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()).ToHashSet();

    private static int Count(JsonElement report, string breakdown, string item) =>
        report.GetProperty(breakdown).GetProperty(item).GetProperty("count").GetInt32();
}
