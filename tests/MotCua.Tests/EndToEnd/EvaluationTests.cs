using System.Net;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>Indicators from events, against counts made by hand.</summary>
[Collection(PlatformCollection.Name)]
public sealed class EvaluationTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task On_time_late_and_overdue_pending_dossiers_give_the_766_progress_score()
    {
        var unit = await platform.NewCommuneAsync();
        var counter = (await platform.OfficialAsync(unit, "counter")).Token;
        var specialist = (await platform.OfficialAsync(unit, "specialist")).Token;
        var leader = (await platform.OfficialAsync(unit, "leader")).Token;
        var admin = await platform.TokenAsync();
        var procedure = await platform.ProcedureAsync("Thủ tục đánh giá", 1, PlatformFixture.OneStopSteps(1, 5, 1, 1));

        // The score below needs the receipts, the result and the apologies in one period: from a year's last evening the
        // dossiers would be received in one year and fall due, late and apologised for, in the next. So the test starts from
        // a working moment whose day of work ends in the same month (the clock moves only if it must).
        await platform.WorkingStartWithinOneMonthAsync(TimeSpan.FromHours(8));
        var dossiers = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
            dossiers.Add((await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
            {
                procedureCode = procedure, unitId = unit, channel = i == 2 ? "postal" : "counter",
                applicant = new { fullName = "Đặng Thị Thu", idNumber = "001190003344" },
            }))).Body);
        var first = dossiers[0].GetProperty("code").GetString()!;
        foreach (var (action, token) in new[] { ("transfer", counter), ("complete-step", specialist), ("approve", leader), ("mark-result-ready", counter), ("return", counter) })
            Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{first}/actions/{action}", token, new { }))).Status);

        var year = dossiers[0].GetProperty("receivedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7)).Year;
        async Task<JsonElement> Indicators() =>
            (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={year}", admin))).Body;

        await Eventually.True(async () => (await Indicators()) is var i && i.GetProperty("received").GetInt32() == 3
            && i.GetProperty("resolved").GetInt32() == 1, Seconds, "received and resolved counted");
        var before = await Indicators();
        Assert.Equal(1, before.GetProperty("onTime").GetInt32());
        Assert.Equal(0, before.GetProperty("late").GetInt32());
        Assert.Equal(0, before.GetProperty("overduePending").GetInt32());
        Assert.Equal(100m, before.GetProperty("onTimeRate").GetDecimal());
        Assert.Equal(20m, before.GetProperty("index766").GetProperty("progress").GetDecimal());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("index766").GetProperty("satisfaction").ValueKind);
        Assert.Equal("not_measured", before.GetProperty("index766").GetProperty("publicity").GetString());

        // The citizen rates the returned dossier, anonymously, once, from their own address: the public limit on
        // 127.0.0.1 belongs to the rate-limit test of this run.
        async Task<HttpStatusCode> Rate(string code, string level) => (await platform.SendAsCitizenAsync(platform.Request(HttpMethod.Post,
            "/api/ratings", null, new { dossierCode = code, level }))).Status;
        Assert.Equal(HttpStatusCode.Created, await Rate(first, "satisfied"));
        Assert.Equal(HttpStatusCode.Conflict, await Rate(first, "very_satisfied"));
        Assert.Equal(HttpStatusCode.Conflict, await Rate(dossiers[1].GetProperty("code").GetString()!, "satisfied"));
        Assert.Equal(HttpStatusCode.NotFound, await Rate("000.00.00.X00-000101-0001", "satisfied"));
        Assert.Equal(HttpStatusCode.BadRequest, await Rate(first, "ecstatic"));
        var rated = await Indicators();
        Assert.Equal(1, rated.GetProperty("satisfaction").GetProperty("satisfied").GetInt32());
        Assert.Equal(18m, rated.GetProperty("index766").GetProperty("satisfaction").GetDecimal());

        // The other two pass their due time unresolved: overdue pending, each apologised for.
        var due = dossiers.Skip(1).Max(d => d.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", admin,
            new { advanceTo = due.AddMinutes(1) }))).Status);
        await Eventually.True(async () => (await Indicators()).GetProperty("apologies").GetInt32() == 2, Seconds, "the apologies counted");
        var after = await Indicators();
        Assert.Equal(2, after.GetProperty("overduePending").GetInt32());
        // 766 progress = on time ÷ (on time + late + overdue pending) × 20 = 1 ÷ 3 × 20.
        Assert.Equal(6.67m, after.GetProperty("index766").GetProperty("progress").GetDecimal());

        // Replaying every logged event into a fresh projection gives exactly the same numbers.
        var (rebuilt, summary) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/evaluation/rebuild", admin, new { }));
        Assert.Equal(HttpStatusCode.OK, rebuilt);
        Assert.True(summary.GetProperty("events").GetInt64() >= 7, summary.ToString());
        Assert.Equal(after.ToString(), (await Indicators()).ToString());
    }
}
