using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>Reorganisation as provinces do it: rename, move, dissolve and split, each from its date, with its history.</summary>
public sealed partial class PersonnelTests
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    [Fact]
    public async Task Renames_and_moves_take_effect_on_their_date_and_the_history_tells_them()
    {
        var (province, district, a, b, _) = await SmallProvinceAsync();
        var today = await platform.TodayAsync();
        var otherDistrict = await Unit("-D2", "district", await Unit("-P2", "province", null));

        var (renamed, rename) = await Post($"/api/units/{a}/rename", new { name = "Phường A mới", code = _run + "-A2", effectiveOn = $"{today:yyyy-MM-dd}" });
        Assert.True(renamed == HttpStatusCode.OK, rename.ToString());
        Assert.False(rename.GetProperty("pending").GetBoolean());
        var unitA = await Get($"/api/units/{a}");
        Assert.Equal(("Phường A mới", _run + "-A2"), (unitA.GetProperty("name").GetString(), unitA.GetProperty("code").GetString()));
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM unit_directory WHERE id = $1 AND name = 'Phường A mới' AND code = $2", a, _run + "-A2") == 1,
            Seconds, "Dossier's copy knows the new name");
        await Refused(HttpStatusCode.Conflict, "code", $"/api/units/{b}/rename", new { name = "B", code = _run + "-A2", effectiveOn = $"{today:yyyy-MM-dd}" });

        // Districts abolished: the commune goes straight under its province.
        var (moved, move) = await Post($"/api/units/{a}/move", new { parentId = province, effectiveOn = $"{today:yyyy-MM-dd}" });
        Assert.True(moved == HttpStatusCode.OK, move.ToString());
        Assert.Equal(province, (await Get($"/api/units/{a}")).GetProperty("parentId").GetGuid());
        await Eventually.True(async () => await platform.CountAsync("evaluation",
            "SELECT count(*) FROM unit_directory WHERE id = $1 AND parent_id = $2", a, province) == 1, Seconds, "Evaluation's copy knows the move");
        await Refused(HttpStatusCode.BadRequest, "parentId", $"/api/units/{district}/move", new { parentId = b, effectiveOn = $"{today:yyyy-MM-dd}" });
        await Refused(HttpStatusCode.BadRequest, "parentId", $"/api/units/{district}/move", new { parentId = district, effectiveOn = $"{today:yyyy-MM-dd}" });
        await Refused(HttpStatusCode.BadRequest, "parentId", $"/api/units/{b}/move", new { parentId = otherDistrict, effectiveOn = $"{today:yyyy-MM-dd}" });
        await Refused(HttpStatusCode.Conflict, "parentId", $"/api/units/{a}/move", new { parentId = province, effectiveOn = $"{today:yyyy-MM-dd}" });
        Assert.Equal(province, (await Get($"/api/units/{district}")).GetProperty("parentId").GetGuid());

        // Dated ahead: recorded now, applied on its date.
        var tomorrow = today.AddDays(1);
        var (later, pending) = await Post($"/api/units/{b}/rename", new { name = "Phường B mới", effectiveOn = $"{tomorrow:yyyy-MM-dd}" });
        Assert.True(later == HttpStatusCode.OK, pending.ToString());
        Assert.True(pending.GetProperty("pending").GetBoolean());
        Assert.Equal("Đơn vị -B", (await Get($"/api/units/{b}")).GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, (await Get($"/api/units/{b}/history")).GetProperty("changes")[0].GetProperty("appliedAt").ValueKind);
        var (movedLater, pendingMove) = await Post($"/api/units/{b}/move", new { parentId = province, effectiveOn = $"{tomorrow:yyyy-MM-dd}" });
        Assert.True(movedLater == HttpStatusCode.OK && pendingMove.GetProperty("pending").GetBoolean(), pendingMove.ToString());
        Assert.Equal(district, (await Get($"/api/units/{b}")).GetProperty("parentId").GetGuid());

        await platform.AdvanceClockToAsync(new DateTimeOffset(tomorrow.ToDateTime(new TimeOnly(0, 0, 30)), Vietnam));
        await Eventually.True(async () => (await Get($"/api/units/{b}")).GetProperty("name").GetString() == "Phường B mới",
            Seconds, "the rename applies on its date");
        await Eventually.True(async () => (await Get($"/api/units/{b}")).GetProperty("parentId").GetGuid() == province,
            Seconds, "the move applies on its date");
        await Eventually.True(async () => await platform.CountAsync("notification",
            "SELECT count(*) FROM unit_directory WHERE id = $1 AND name = 'Phường B mới' AND parent_id = $2", b, province) == 1,
            Seconds, "Notification's copy knows both");

        var history = (await Get($"/api/units/{a}/history")).GetProperty("changes");
        Assert.Equal(["rename", "move"], history.EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal(_run + "-A", history[0].GetProperty("details").GetProperty("previousCode").GetString());
        Assert.Equal(province, history[1].GetProperty("details").GetProperty("parentId").GetGuid());
        Assert.Equal(district, history[1].GetProperty("details").GetProperty("previousParentId").GetGuid());
        Assert.All(history.EnumerateArray(), c => Assert.Equal("admin", c.GetProperty("recordedBy").GetString()));
        var historyB = (await Get($"/api/units/{b}/history")).GetProperty("changes");
        Assert.Equal(["rename", "move"], historyB.EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        Assert.All(historyB.EnumerateArray(), c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("appliedAt").ValueKind));
    }

    [Fact]
    public async Task A_dissolved_unit_hands_its_officials_to_its_successor_and_takes_no_more_dossiers()
    {
        var (_, district, a, b, officials) = await SmallProvinceAsync();
        var empty = await Unit("-E", "commune", district);
        var today = await platform.TodayAsync();
        var on = $"{today:yyyy-MM-dd}";
        var oldToken = await platform.TokenAsync($"{_run}.counter", "mat-khau-an-toan");

        await Refused(HttpStatusCode.Conflict, "successorId", $"/api/units/{a}/dissolve", new { effectiveOn = on });
        await Refused(HttpStatusCode.Conflict, "successorId", $"/api/units/{district}/dissolve", new { effectiveOn = on });
        await Refused(HttpStatusCode.BadRequest, "successorId", $"/api/units/{a}/dissolve", new { successorId = a, effectiveOn = on });
        await Refused(HttpStatusCode.BadRequest, "successorId", $"/api/units/{district}/dissolve", new { successorId = b, effectiveOn = on });
        await Refused(HttpStatusCode.BadRequest, "effectiveOn", $"/api/units/{a}/dissolve", new { successorId = b });
        Assert.Equal(0, await platform.CountAsync("personnel", "SELECT count(*) FROM unit_changes WHERE unit_id = ANY($1)", new[] { a, district }));
        Assert.Equal(0, await platform.CountAsync("personnel", "SELECT count(*) FROM units WHERE id = ANY($1) AND valid_to IS NOT NULL", new[] { a, district }));

        var (gone, none) = await Post($"/api/units/{empty}/dissolve", new { effectiveOn = on });
        Assert.True(gone == HttpStatusCode.OK, none.ToString());
        Assert.Equal(on, (await Get($"/api/units/{empty}")).GetProperty("validTo").GetString());
        await Refused(HttpStatusCode.Conflict, "parentId", $"/api/units/{b}/move", new { parentId = empty, effectiveOn = on });

        var (status, dissolved) = await Post($"/api/units/{a}/dissolve", new { successorId = b, effectiveOn = on });
        Assert.True(status == HttpStatusCode.OK, dissolved.ToString());
        Assert.Equal(officials[..3].Order(), dissolved.GetProperty("movedOfficialIds").EnumerateArray().Select(e => e.GetGuid()).Order());
        Assert.Equal(b, (await Get($"/api/units/{a}")).GetProperty("mergedInto").GetGuid());
        await Refused(HttpStatusCode.Conflict, "id", $"/api/units/{a}/dissolve", new { successorId = b, effectiveOn = on });

        // The official's token from before carries the old unit: refused; a new log-in carries the successor.
        await Eventually.True(async () => (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/officials/{officials[0]}", oldToken))).Status
            == HttpStatusCode.Unauthorized, Seconds, "the old token is refused");
        var fresh = new JsonWebToken(await platform.TokenAsync($"{_run}.counter", "mat-khau-an-toan"));
        Assert.Equal(b.ToString(), fresh.GetClaim("unit").Value);

        // From the date the Dossier service takes nothing at the closed unit, naming its successor.
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM unit_directory WHERE id = $1 AND merged_into = $2 AND valid_to IS NOT NULL", a, b) == 1, Seconds, "Dossier's copy knows");
        var (refused, problem) = await Post("/api/dossiers", DossierFlowTests.NewDossier(a));
        Assert.True(refused == HttpStatusCode.Conflict, problem.ToString());
        Assert.Contains(b.ToString(), problem.GetProperty("errors").GetProperty("unitId")[0].GetString());

        var history = (await Get($"/api/units/{a}/history")).GetProperty("changes");
        Assert.Equal("dissolve", Assert.Single(history.EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(b, history[0].GetProperty("details").GetProperty("successorId").GetGuid());
    }

    [Fact]
    public async Task A_unit_with_open_dossiers_is_dissolved_only_with_a_successor_to_take_them()
    {
        var commune = await platform.NewCommuneAsync();
        var successor = await platform.NewCommuneAsync();
        var procedure = await platform.ProcedureAsync("Chứng thực bản sao", 1, [("Tiếp nhận", "counter", 2), ("Đối chiếu", "specialist", 4), ("Trả kết quả", "counter", 2)]);
        var (received, dossier) = await Post("/api/dossiers", new
        {
            procedureCode = procedure, unitId = commune, channel = "counter",
            applicant = new { fullName = "Võ Thị Mến", idNumber = "046190005566" }, papers = new[] { "Bản chính" },
        });
        Assert.True(received == HttpStatusCode.Created, dossier.ToString());
        await Eventually.True(async () => await platform.CountAsync("personnel", "SELECT count(*) FROM open_dossiers WHERE unit_id = $1 AND NOT closed", commune) == 1,
            Patience.Of(TimeSpan.FromSeconds(15)), "Personnel knows the open dossier");
        var on = $"{await platform.TodayAsync():yyyy-MM-dd}";

        var (status, problem) = await Post($"/api/units/{commune}/dissolve", new { effectiveOn = on });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("dossier", problem.GetProperty("errors").GetProperty("successorId")[0].GetString());
        Assert.Null((await Get($"/api/units/{commune}")).GetProperty("validTo").GetString());

        var (dissolved, answer) = await Post($"/api/units/{commune}/dissolve", new { successorId = successor, effectiveOn = on });
        Assert.True(dissolved == HttpStatusCode.OK, answer.ToString());
    }

    [Fact]
    public async Task A_split_posts_each_official_to_the_part_named_for_them_or_writes_nothing()
    {
        var (_, district, a, _, officials) = await SmallProvinceAsync();
        var today = await platform.TodayAsync();
        var on = $"{today:yyyy-MM-dd}";
        object Part(string code) => new { code = _run + code, name = "Xã " + code, type = "commune", parentId = district };
        var oldToken = await platform.TokenAsync($"{_run}.counter", "mat-khau-an-toan");

        await Refused(HttpStatusCode.BadRequest, "into", "/api/units/split", new
        {
            sourceId = a, into = new[] { Part("-S1") }, officials = new Dictionary<string, string>(), effectiveOn = on,
        });
        var unmapped = new Dictionary<string, string> { [$"{officials[0]}"] = _run + "-S1", [$"{officials[1]}"] = _run + "-S2" };
        await Refused(HttpStatusCode.BadRequest, $"officials.{officials[2]}", "/api/units/split", new
        {
            sourceId = a, into = new[] { Part("-S1"), Part("-S2") }, officials = unmapped, effectiveOn = on,
        });
        await Refused(HttpStatusCode.BadRequest, "officials", "/api/units/split", new
        {
            sourceId = a, into = new[] { Part("-S1"), Part("-S2") }, officials = unmapped, effectiveOn = on,
        });
        await Refused(HttpStatusCode.BadRequest, $"officials.{officials[2]}", "/api/units/split", new
        {
            sourceId = a, into = new[] { Part("-S1"), Part("-S2") }, effectiveOn = on,
            officials = new Dictionary<string, string>(unmapped) { [$"{officials[2]}"] = _run + "-NOWHERE" },
        });
        await Refused(HttpStatusCode.Conflict, "sourceId", "/api/units/split", new
        {
            sourceId = district, into = new[] { Part("-S1"), Part("-S2") }, officials = new Dictionary<string, string>(), effectiveOn = on,
        });
        Assert.Equal(0, await platform.CountAsync("personnel", "SELECT count(*) FROM units WHERE code LIKE $1", _run + "-S%"));
        Assert.Equal(0, await platform.CountAsync("personnel", "SELECT count(*) FROM units WHERE id = $1 AND valid_to IS NOT NULL", a));

        var mapping = new Dictionary<string, string>(unmapped) { [$"{officials[2]}"] = _run + "-S2" };
        var (status, split) = await Post("/api/units/split", new { sourceId = a, into = new[] { Part("-S1"), Part("-S2") }, officials = mapping, effectiveOn = on });
        Assert.True(status == HttpStatusCode.Created, split.ToString());
        var parts = split.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!, u => u.GetProperty("id").GetGuid());
        var (s1, s2) = (parts[_run + "-S1"], parts[_run + "-S2"]);
        Assert.Equal(on, (await Get($"/api/units/{a}")).GetProperty("validTo").GetString());
        Assert.Equal(s1, (await Get($"/api/officials/{officials[0]}")).GetProperty("postings").EnumerateArray().Last().GetProperty("unitId").GetGuid());
        Assert.Equal(s2, (await Get($"/api/officials/{officials[2]}")).GetProperty("postings").EnumerateArray().Last().GetProperty("unitId").GetGuid());

        await Eventually.True(async () => (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/officials/{officials[0]}", oldToken))).Status
            == HttpStatusCode.Unauthorized, Seconds, "the old token is refused");
        Assert.Equal(s1.ToString(), new JsonWebToken(await platform.TokenAsync($"{_run}.counter", "mat-khau-an-toan")).GetClaim("unit").Value);
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM official_postings WHERE official_id = $1 AND unit_id = $2", officials[2], s2) == 1, Seconds, "Dossier's copy knows the split");

        var history = (await Get($"/api/units/{a}/history")).GetProperty("changes");
        var change = Assert.Single(history.EnumerateArray());
        Assert.Equal("split", change.GetProperty("kind").GetString());
        Assert.Equal(2, change.GetProperty("details").GetProperty("into").GetArrayLength());
        Assert.Equal(a, (await Get($"/api/units/{s2}/history")).GetProperty("changes")[0].GetProperty("details").GetProperty("sourceId").GetGuid());
    }

    /// <summary>
    /// The reported double count: communes of a district merged into a commune put straight under the province. The day
    /// before the date keeps its figures; a period that reaches the date counts the dossiers once, under the successor.
    /// </summary>
    [Fact]
    public async Task After_a_merge_its_dossiers_count_once_under_the_successor_and_the_days_before_stay_as_they_were()
    {
        var province = await Unit("-EP", "province", null);
        var district = await Unit("-ED", "district", province);
        var c1 = await Unit("-E1", "commune", district, $"000.{Random.Shared.Next(10, 99)}.{Random.Shared.Next(10, 99)}.{_run[..4]}");
        var c2 = await Unit("-E2", "commune", district, $"000.{Random.Shared.Next(10, 99)}.{Random.Shared.Next(10, 99)}.{_run[2..6]}");
        foreach (var commune in new[] { c1, c2 }) await ReceiveOneAsync(commune);
        var today = await platform.TodayAsync();
        var day = $"{today:yyyy-MM-dd}";
        await Eventually.True(async () => Received(await Get($"/api/evaluation/rankings?unitId={province}&period={day}")).SequenceEqual([(district, 2)]),
            Seconds, "Evaluation counts the two dossiers under the district");

        var tomorrow = today.AddDays(1);
        var (status, merge) = await Post("/api/units/merge", new
        {
            sourceIds = new[] { c1, c2 }, into = new { code = _run + "-E12", name = "Xã E12", type = "commune", parentId = province },
            effectiveOn = $"{tomorrow:yyyy-MM-dd}",
        });
        Assert.True(status == HttpStatusCode.Created, merge.ToString());
        var merged = merge.GetProperty("unit").GetProperty("id").GetGuid();
        await Eventually.True(async () => await platform.CountAsync("evaluation",
            "SELECT count(*) FROM unit_directory WHERE (id = ANY($1) AND merged_into = $2) OR (id = $2 AND parent_id = $3)",
            new[] { c1, c2 }, merged, province) == 3, Seconds, "Evaluation knows the merge");
        await platform.AdvanceClockToAsync(new DateTimeOffset(tomorrow.ToDateTime(new TimeOnly(0, 0, 30)), Vietnam));

        // The day before the date: as it was, the district with both dossiers and no successor beside it (its overdue
        // figures alone moved on, because the day is over now).
        Assert.Equal([(district, 2)], Received(await Get($"/api/evaluation/rankings?unitId={province}&period={day}")));
        Assert.Equal(2, (await Get($"/api/evaluation/units/{district}?period={day}")).GetProperty("received").GetInt32());

        // A period that reaches the date (the year, unless the date is 1 January): once, under the successor; the
        // emptied district counts none.
        if (tomorrow.Year == today.Year)
        {
            var year = $"{today.Year}";
            Assert.Equal(new List<(Guid, int)> { (district, 0), (merged, 2) },
                Received(await Get($"/api/evaluation/rankings?unitId={province}&period={year}")).OrderBy(u => u.Received).ToList());
            Assert.Equal(0, (await Get($"/api/evaluation/units/{district}?period={year}")).GetProperty("received").GetInt32());
            Assert.Equal(2, (await Get($"/api/evaluation/units/{merged}?period={year}")).GetProperty("received").GetInt32());
            Assert.Equal(2, (await Get($"/api/evaluation/units/{province}?period={year}")).GetProperty("received").GetInt32());
        }

        // On the date itself the closed commune takes nothing under its old code.
        var (refused, problem) = await Post("/api/dossiers", DossierFlowTests.NewDossier(c1));
        Assert.True(refused == HttpStatusCode.Conflict, problem.ToString());
        Assert.Contains(merged.ToString(), problem.GetProperty("errors").GetProperty("unitId")[0].GetString());
    }

    /// <summary>
    /// Districts abolished: a commune moved straight under its province. The day before the date still counts it under
    /// its district; a period that reaches the date counts it under the province, and the district no longer.
    /// </summary>
    [Fact]
    public async Task After_a_move_the_unit_counts_under_its_new_parent_and_the_days_before_stay_as_they_were()
    {
        var province = await Unit("-MP", "province", null);
        var district = await Unit("-MD", "district", province);
        var commune = await Unit("-M1", "commune", district, $"000.{Random.Shared.Next(10, 99)}.{Random.Shared.Next(10, 99)}.{_run[..4]}");
        await ReceiveOneAsync(commune);
        var today = await platform.TodayAsync();
        var day = $"{today:yyyy-MM-dd}";
        await Eventually.True(async () => Received(await Get($"/api/evaluation/rankings?unitId={province}&period={day}")).SequenceEqual([(district, 1)]),
            Seconds, "Evaluation counts the dossier under the district");

        var tomorrow = today.AddDays(1);
        var (moved, move) = await Post($"/api/units/{commune}/move", new { parentId = province, effectiveOn = $"{tomorrow:yyyy-MM-dd}" });
        Assert.True(moved == HttpStatusCode.OK, move.ToString());
        await platform.AdvanceClockToAsync(new DateTimeOffset(tomorrow.ToDateTime(new TimeOnly(0, 0, 30)), Vietnam));
        await Eventually.True(async () => await platform.CountAsync("evaluation",
            "SELECT count(*) FROM unit_directory WHERE id = $1 AND parent_id = $2", commune, province) == 1, Seconds, "Evaluation knows the move");

        Assert.Equal([(district, 1)], Received(await Get($"/api/evaluation/rankings?unitId={province}&period={day}")));
        Assert.Equal(1, (await Get($"/api/evaluation/units/{district}?period={day}")).GetProperty("received").GetInt32());

        if (tomorrow.Year == today.Year)
        {
            var year = $"{today.Year}";
            Assert.Equal(new List<(Guid, int)> { (district, 0), (commune, 1) },
                Received(await Get($"/api/evaluation/rankings?unitId={province}&period={year}")).OrderBy(u => u.Received).ToList());
            Assert.Equal(0, (await Get($"/api/evaluation/units/{district}?period={year}")).GetProperty("received").GetInt32());
            Assert.Equal(1, (await Get($"/api/evaluation/units/{province}?period={year}")).GetProperty("received").GetInt32());
        }
    }

    /// <summary>A dossier received at a new commune, once the Dossier service knows the commune.</summary>
    private async Task ReceiveOneAsync(Guid commune)
    {
        await Eventually.True(async () => await platform.CountAsync("dossier", "SELECT count(*) FROM unit_directory WHERE id = $1", commune) == 1,
            Seconds, "Dossier knows the commune");
        var (received, dossier) = await Post("/api/dossiers", DossierFlowTests.NewDossier(commune));
        Assert.True(received == HttpStatusCode.Created, dossier.ToString());
    }

    private static List<(Guid Unit, int Received)> Received(JsonElement rankings) =>
        [.. rankings.GetProperty("units").EnumerateArray()
            .Select(u => (u.GetProperty("unitId").GetGuid(), u.GetProperty("indicators").GetProperty("received").GetInt32()))];
}
