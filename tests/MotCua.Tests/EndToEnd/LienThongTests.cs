using System.Net;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Liên thông through the gateway: a first land-use certificate received at a commune, appraised and confirmed at the land
/// registration office that serves it, signed by the commune chairman and returned at the commune's counter; each unit
/// sees exactly what it should and acts on its own steps only. Province-wide reception (Decree 118) and the catalogue's rules.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LienThongTests(PlatformFixture platform)
{
    private sealed record Province(Guid Commune, Guid Neighbour, Guid LandOffice, Guid OtherLandOffice);

    /// <summary>Two communes, each served by its own land office (chi nhánh văn phòng đăng ký đất đai) attached to the province.</summary>
    private async Task<Province> ProvinceAsync()
    {
        var commune = await platform.NewCommuneAsync();
        var neighbour = await platform.NewCommuneAsync();
        var landOffice = await platform.NewAgencyAsync("land_registration", platform.Province, commune);
        var otherLandOffice = await platform.NewAgencyAsync("land_registration", platform.Province, neighbour);
        return new Province(commune, neighbour, landOffice, otherLandOffice);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string token, object? body = null) =>
        await platform.SendAsync(platform.Request(method, path, token, body));

    private Task<(HttpStatusCode Status, JsonElement Body)> Act(string token, string code, string action, object? body = null) =>
        Send(HttpMethod.Post, $"/api/dossiers/{code}/actions/{action}", token, body ?? new { });

    private async Task<string> ProcedureAsync(object steps, string[]? receivedBy = null, bool provinceWide = false, Guid? provinceId = null)
    {
        var code = "LT." + Guid.NewGuid().ToString("N")[..10];
        var (status, body) = await Send(HttpMethod.Post, "/api/procedures", await platform.TokenAsync(), new
        {
            code, name = "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", field = "Đất đai",
            processingTime = new { value = 3, unit = "workingDays" }, steps, receivedBy, provinceWide, provinceId,
        });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return code;
    }

    private static readonly object LandSteps = new object[]
    {
        new { name = "Tiếp nhận", role = "counter", hours = 2 },
        new { name = "Thẩm định hồ sơ đất đai", role = "specialist", hours = 12, unitKind = "land_registration" },
        new { name = "Xác nhận của văn phòng đăng ký", role = "leader", hours = 4, unitKind = "land_registration" },
        new { name = "Chủ tịch UBND xã ký", role = "leader", hours = 4 },
        new { name = "Trả kết quả", role = "counter", hours = 2 },
    };

    private static object Intake(Guid unit, string procedureCode) => new
    {
        procedureCode, unitId = unit, channel = "counter",
        applicant = new { fullName = "Nguyễn Văn Điền", idNumber = "046190007788", phone = "0912345670" },
        papers = new[] { "Đơn đăng ký đất đai", "Giấy tờ về quyền sử dụng đất" },
    };

    private async Task<List<string>> QueueAsync(string token, string query)
    {
        var (status, body) = await Send(HttpMethod.Get, "/api/dossiers?" + query, token);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!)];
    }

    [Fact]
    public async Task A_land_dossier_travels_from_the_commune_to_the_land_office_and_back_with_each_unit_acting_on_its_own_steps()
    {
        var p = await ProvinceAsync();
        var counter = await platform.OfficialAsync(p.Commune, "counter");
        var chairman = await platform.OfficialAsync(p.Commune, "leader");
        var landSpecialist = await platform.OfficialAsync(p.LandOffice, "specialist");
        var landLeader = await platform.OfficialAsync(p.LandOffice, "leader");
        var landCounter = await platform.OfficialAsync(p.LandOffice, "counter");
        var neighbourCounter = await platform.OfficialAsync(p.Neighbour, "counter");
        var otherLandSpecialist = await platform.OfficialAsync(p.OtherLandOffice, "specialist");
        var procedure = await ProcedureAsync(LandSteps, receivedBy: ["commune"]);

        var (received, dossier) = await Send(HttpMethod.Post, "/api/dossiers", counter.Token, Intake(p.Commune, procedure));
        Assert.True(received == HttpStatusCode.Created, dossier.ToString());
        var code = dossier.GetProperty("code").GetString()!;
        var steps = dossier.GetProperty("steps").EnumerateArray().ToList();
        // The kind resolves, at intake, to the land office that serves this commune, not the neighbour's.
        Assert.Equal(p.LandOffice, steps[1].GetProperty("unitId").GetGuid());
        Assert.Equal(p.LandOffice, steps[2].GetProperty("unitId").GetGuid());
        Assert.Equal(JsonValueKind.Null, steps[3].GetProperty("unitId").ValueKind);

        // Naming an official of another unit than the step's is refused, naming the field; nothing moved.
        var (outside, refusal) = await Act(counter.Token, code, "transfer", new { assigneeId = chairman.Id });
        Assert.Equal(HttpStatusCode.BadRequest, outside);
        Assert.True(refusal.GetProperty("errors").TryGetProperty("assigneeId", out _), refusal.ToString());

        // The counter hands over without naming anyone: the land office's leader finds it waiting and assigns it.
        Assert.Equal(HttpStatusCode.OK, (await Act(counter.Token, code, "transfer", new { note = "Chuyển VPĐK đất đai" })).Status);
        Assert.Contains(code, await QueueAsync(landLeader.Token, $"unitId={p.LandOffice}&waiting=true"));
        Assert.DoesNotContain(code, await QueueAsync(counter.Token, $"unitId={p.Commune}&waiting=true"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Act(chairman.Token, code, "assign", new { assigneeId = counter.Id })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(landLeader.Token, code, "assign", new { assigneeId = landSpecialist.Id })).Status);

        // The land office's specialist sees it, finds it assigned to her, and the commune cannot do her step.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/api/dossiers/{code}", landSpecialist.Token)).Status);
        Assert.Contains(code, await QueueAsync(landSpecialist.Token, "assignedTo=me"));
        var chairmanSpecialist = await platform.OfficialAsync(p.Commune, "specialist");
        Assert.Equal(HttpStatusCode.Forbidden, (await Act(chairmanSpecialist.Token, code, "complete-step")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(landSpecialist.Token, code, "complete-step")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(landLeader.Token, code, "approve")).Status);

        // Back at the commune for the chairman's signature: the land office's leader cannot sign for the commune.
        Assert.Equal(HttpStatusCode.Forbidden, (await Act(landLeader.Token, code, "approve")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(chairman.Token, code, "approve")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Act(landCounter.Token, code, "mark-result-ready")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(counter.Token, code, "mark-result-ready")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Act(landCounter.Token, code, "return")).Status);
        var (returned, done) = await Act(counter.Token, code, "return");
        Assert.Equal(HttpStatusCode.OK, returned);
        Assert.Equal("returned", done.GetProperty("status").GetString());

        // A neighbouring commune and an unrelated land office see nothing of it.
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/dossiers/{code}", neighbourCounter.Token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/dossiers/{code}", otherLandSpecialist.Token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/dossiers/{code}/history", otherLandSpecialist.Token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Act(otherLandSpecialist.Token, code, "complete-step")).Status);
        Assert.DoesNotContain(code, await QueueAsync(otherLandSpecialist.Token, ""));
        Assert.DoesNotContain(code, await QueueAsync(neighbourCounter.Token, ""));
        Assert.Contains(code, await QueueAsync(landSpecialist.Token, $"unitId={p.LandOffice}"));

        // The control sheet names giver and receiver and both units of each hand-over.
        var (_, sheet) = await Send(HttpMethod.Get, $"/api/dossiers/{code}/history", counter.Token);
        var rows = sheet.EnumerateArray().ToList();
        var transfer = rows.Single(r => r.GetProperty("action").GetString() == "transfer");
        Assert.Equal(p.Commune, transfer.GetProperty("fromUnitId").GetGuid());
        Assert.Equal(p.LandOffice, transfer.GetProperty("toUnitId").GetGuid());
        var assign = rows.Single(r => r.GetProperty("action").GetString() == "assign");
        Assert.Equal(landSpecialist.Id, assign.GetProperty("assigneeId").GetGuid());
        Assert.Equal(landLeader.Id, assign.GetProperty("actorId").GetGuid());
        var approvals = rows.Where(r => r.GetProperty("action").GetString() == "approve")
            .Select(r => (From: r.GetProperty("fromUnitId").GetGuid(), To: r.GetProperty("toUnitId").GetGuid())).ToList();
        Assert.Equal([(p.LandOffice, p.Commune), (p.Commune, p.Commune)], approvals);
        var html = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/history?format=html", counter.Token));
        Assert.Contains("Cơ quan land_registration", await html.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_province_wide_procedure_is_received_at_a_commune_and_routed_to_the_competent_body()
    {
        var p = await ProvinceAsync();
        var counter = await platform.OfficialAsync(p.Commune, "counter");
        var landSpecialist = await platform.OfficialAsync(p.LandOffice, "specialist");
        var steps = new object[]
        {
            new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Thẩm định", role = "specialist", hours = 16 },
            new { name = "Phê duyệt", role = "leader", hours = 4 }, new { name = "Trả kết quả", role = "counter", hours = 2 },
        };
        var provinceWide = await ProcedureAsync(steps, receivedBy: ["land_registration"], provinceWide: true, provinceId: platform.Province);
        var officeOnly = await ProcedureAsync(steps, receivedBy: ["land_registration"]);

        // The commune's counter lists what it may receive: the province-wide one, not the one received only at land offices.
        var (_, listed) = await Send(HttpMethod.Get, $"/api/procedures?unitId={p.Commune}&q=LT.", counter.Token);
        var codes = listed.EnumerateArray().Select(x => x.GetProperty("code").GetString()).ToList();
        Assert.Contains(provinceWide, codes);
        Assert.DoesNotContain(officeOnly, codes);

        var (refused, rule) = await Send(HttpMethod.Post, "/api/dossiers", counter.Token, Intake(p.Commune, officeOnly));
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.True(rule.GetProperty("errors").TryGetProperty("procedureCode", out _), rule.ToString());

        var (status, dossier) = await Send(HttpMethod.Post, "/api/dossiers", counter.Token, Intake(p.Commune, provinceWide));
        Assert.True(status == HttpStatusCode.Created, dossier.ToString());
        var code = dossier.GetProperty("code").GetString()!;
        var routed = dossier.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("unitId")).ToList();
        // Processing goes to the land office serving the commune; reception and return stay at the counter the citizen chose,
        // and the code keeps the receiving agency's.
        Assert.Equal(JsonValueKind.Null, routed[0].ValueKind);
        Assert.Equal(p.LandOffice, routed[1].GetGuid());
        Assert.Equal(p.LandOffice, routed[2].GetGuid());
        Assert.Equal(JsonValueKind.Null, routed[3].ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await Act(counter.Token, code, "transfer", new { assigneeId = landSpecialist.Id })).Status);
        Assert.Contains(code, await QueueAsync(landSpecialist.Token, "assignedTo=me"));

        // The citizen may collect the result at another counter of the province, which then sees the dossier; a unit that
        // does not exist is refused, naming the field.
        var (unknown, unknownError) = await Send(HttpMethod.Post, "/api/dossiers", counter.Token, WithReturn(Intake(p.Commune, provinceWide), Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.True(unknownError.GetProperty("errors").TryGetProperty("returnUnitId", out _), unknownError.ToString());
        var (elsewhere, returned) = await Send(HttpMethod.Post, "/api/dossiers", counter.Token, WithReturn(Intake(p.Commune, provinceWide), p.Neighbour));
        Assert.True(elsewhere == HttpStatusCode.Created, returned.ToString());
        Assert.Equal(p.Neighbour, returned.GetProperty("steps")[3].GetProperty("unitId").GetGuid());
        var neighbourCounter = await platform.OfficialAsync(p.Neighbour, "counter");
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/api/dossiers/{returned.GetProperty("code").GetString()}", neighbourCounter.Token)).Status);
    }

    private static Dictionary<string, object?> WithReturn(object intake, Guid returnUnitId)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(intake, JsonSerializerOptions.Web))!;
        fields["returnUnitId"] = returnUnitId;
        return fields;
    }

    [Fact]
    public async Task The_catalogue_and_the_directory_refuse_what_cannot_be_done_naming_the_field()
    {
        var p = await ProvinceAsync();
        var admin = await platform.TokenAsync();

        // An agency needs its kind, and hangs under a territorial unit.
        var (noKind, kindError) = await Send(HttpMethod.Post, "/api/units", admin, new { code = "E2E-NK-" + Guid.NewGuid().ToString("N")[..6], name = "Cơ quan", type = "agency", parentId = platform.Province });
        Assert.Equal(HttpStatusCode.BadRequest, noKind);
        Assert.True(kindError.GetProperty("errors").TryGetProperty("agencyKind", out _), kindError.ToString());
        var (underAgency, parentError) = await Send(HttpMethod.Post, "/api/units", admin, new
        {
            code = "E2E-UA-" + Guid.NewGuid().ToString("N")[..6], name = "Cơ quan con", type = "agency", agencyKind = "tax", parentId = p.LandOffice,
        });
        Assert.Equal(HttpStatusCode.BadRequest, underAgency);
        Assert.True(parentError.GetProperty("errors").TryGetProperty("parentId", out _), parentError.ToString());

        // Agencies are listed and ranked apart from the territorial units they serve.
        var (_, agencies) = await Send(HttpMethod.Get, $"/api/units?parentId={platform.Province}&descendants=true&type=agency&pageSize=200", admin);
        Assert.Contains(p.LandOffice, agencies.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()));
        Assert.All(agencies.GetProperty("items").EnumerateArray(), u => Assert.Equal("agency", u.GetProperty("type").GetString()));
        Assert.Equal("land_registration", agencies.GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("id").GetGuid() == p.LandOffice).GetProperty("agencyKind").GetString());
        var (_, rankings) = await Send(HttpMethod.Get, $"/api/evaluation/rankings?unitId={platform.Province}", admin);
        Assert.Contains(p.LandOffice, rankings.GetProperty("agencies").EnumerateArray().Select(u => u.GetProperty("unitId").GetGuid()));
        Assert.DoesNotContain(p.LandOffice, rankings.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetGuid()));
        var (badType, typeError) = await Send(HttpMethod.Get, "/api/units?type=village", admin);
        Assert.Equal(HttpStatusCode.BadRequest, badType);
        Assert.True(typeError.GetProperty("errors").TryGetProperty("type", out _), typeError.ToString());

        // A step naming a kind of body nobody is: refused when the procedure is registered.
        var (nobody, nobodyError) = await Send(HttpMethod.Post, "/api/procedures", admin, new
        {
            code = "LT." + Guid.NewGuid().ToString("N")[..10], name = "Thủ tục", field = "Bảo hiểm", processingTime = new { value = 1, unit = "workingDays" },
            steps = new object[]
            {
                new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Xác nhận", role = "specialist", hours = 4, unitKind = "social_insurance" },
                new { name = "Trả kết quả", role = "counter", hours = 2 },
            },
        });
        Assert.Equal(HttpStatusCode.Conflict, nobody);
        Assert.True(nobodyError.GetProperty("errors").TryGetProperty("steps[1].unitKind", out _), nobodyError.ToString());

        // A body that exists but does not serve the receiving commune: refused at intake, naming the step, and nothing written.
        var police = await platform.NewAgencyAsync("police", p.Commune);
        var residence = await ProcedureAsync(new object[]
        {
            new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Thẩm định", role = "specialist", hours = 16, unitKind = "police" },
            new { name = "Phê duyệt", role = "leader", hours = 4, unitKind = "police" }, new { name = "Trả kết quả", role = "counter", hours = 2 },
        });
        var before = await platform.CountAsync("dossier", "SELECT count(*) FROM dossiers WHERE procedure_code = $1", residence);
        var (unserved, unservedError) = await Send(HttpMethod.Post, "/api/dossiers", admin, Intake(p.Neighbour, residence));
        Assert.Equal(HttpStatusCode.Conflict, unserved);
        Assert.True(unservedError.GetProperty("errors").TryGetProperty("steps[1].unitKind", out _), unservedError.ToString());
        Assert.Equal(before, await platform.CountAsync("dossier", "SELECT count(*) FROM dossiers WHERE procedure_code = $1", residence));
        var (served, servedDossier) = await Send(HttpMethod.Post, "/api/dossiers", admin, Intake(p.Commune, residence));
        Assert.True(served == HttpStatusCode.Created, servedDossier.ToString());
        Assert.Equal(police, servedDossier.GetProperty("steps")[1].GetProperty("unitId").GetGuid());
    }

    [Fact]
    public async Task A_commune_closed_by_a_merge_receives_no_dossier_from_its_effective_date_and_names_its_successor()
    {
        var first = await platform.NewCommuneAsync();
        var second = await platform.NewCommuneAsync();
        var admin = await platform.TokenAsync();
        var procedure = await ProcedureAsync(new object[]
        {
            new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Thẩm định", role = "specialist", hours = 18 },
            new { name = "Trả kết quả", role = "counter", hours = 4 },
        });
        var today = await platform.TodayAsync();
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (merged, merge) = await Send(HttpMethod.Post, "/api/units/merge", admin, new
        {
            sourceIds = new[] { first, second }, effectiveOn = today.ToString("yyyy-MM-dd"),
            into = new { code = "E2E-M-" + tag, name = "Xã Hợp Nhất " + tag, type = "commune", parentId = platform.Province, agencyCode = $"{tag[..3]}.{tag[3..]}.00.H57" },
        });
        Assert.True(merged == HttpStatusCode.Created, merge.ToString());
        var successor = merge.GetProperty("unit").GetProperty("id").GetGuid();
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM unit_directory WHERE id = $1 AND valid_to IS NOT NULL", first) == 1, Patience.Of(TimeSpan.FromSeconds(15)), "the merge reached Dossier");

        var (status, refusal) = await Send(HttpMethod.Post, "/api/dossiers", admin, Intake(first, procedure));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(successor.ToString(), refusal.GetProperty("errors").GetProperty("unitId")[0].GetString());
    }
}
