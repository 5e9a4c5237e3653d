using System.Net;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// A scripted month in two communes of a fresh district, on the simulated clock, with every indicator worked out by
/// hand in the comments; checked through the gateway, then again after a rebuild. The month is the first March after
/// the clock's present that begins on a Monday (March 2027 from where the clock starts), so the working days below hold.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EvaluationMonthTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    private string _admin = "", _procedure = "";

    [Fact]
    public async Task A_scripted_month_gives_the_indicators_points_and_rankings_worked_out_by_hand()
    {
        _admin = await platform.TokenAsync();
        var (_, clock) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/clock", _admin));
        var now = clock.GetProperty("now").GetDateTimeOffset();
        var year = now.ToOffset(Vietnam).Year;
        while (new DateTime(year, 3, 1).DayOfWeek != DayOfWeek.Monday || new DateTimeOffset(year, 3, 1, 0, 0, 0, Vietnam) <= now) year++;
        var month = $"{year}-03";
        DateTimeOffset At(int day, int hour, int minute = 0) => new(year, 3, day, hour, minute, 0, Vietnam);

        var district = await platform.NewDistrictAsync();
        var a = await platform.NewCommuneAsync(district);
        var b = await platform.NewCommuneAsync(district);
        var (counterA, cA) = await platform.OfficialAsync(a, "counter");
        var (specialistA, sA) = await platform.OfficialAsync(a, "specialist");
        var (leaderA, lA) = await platform.OfficialAsync(a, "leader");
        var (_, cB) = await platform.OfficialAsync(b, "counter");
        var (_, sB) = await platform.OfficialAsync(b, "specialist");
        var (_, lB) = await platform.OfficialAsync(b, "leader");
        var (_, lD) = await platform.OfficialAsync(district, "leader");

        // Two working days (16 h): reception 1, appraisal 12, approval 2, return 1; one more working day after an apology.
        _procedure = await platform.ProcedureAsync("Chứng thực bản sao", 2, PlatformFixture.OneStopSteps(1, 12, 2, 1), extensionHours: 8);

        // Monday 08:00. Due for all: Wednesday 08:00 (7.5 h Monday, 8 h Tuesday, 0.5 h Wednesday).
        await ClockTo(At(1, 8));
        var a1 = await Receive(a, cA, "counter");
        var a2 = await Receive(a, cA, "counter");
        var a3 = await Receive(a, cA, "counter");
        var a4 = await Receive(a, cA, "online");
        await Act(a4, "receive", cA);
        var b1 = await Receive(b, cB, "counter");
        var b2 = await Receive(b, cB, "counter");
        // Every reception step ends on time (due 09:00 the same day); A3 and A4 go to the specialist by name.
        foreach (var code in new[] { a1, a2 }) await Act(code, "transfer", cA);
        foreach (var code in new[] { a3, a4 }) await Act(code, "transfer", cA, new { assigneeId = specialistA });
        await Act(b1, "transfer", cB);
        // A1's appraisal (due Tuesday 15:00) and approval (due Tuesday 17:00) end on an earlier day: early.
        await Act(a1, "complete-step", sA);
        await Act(a1, "approve", lA);
        var f1 = await Feedback(a);
        await Feedback(a);
        var f3 = await Feedback(b);

        // Monday 15:30: A1's result, 5.5 working hours after reception, early. B2 is withdrawn before its apology window
        // opens (Tuesday 07:45) with its reception step late.
        await ClockTo(At(1, 15, 30));
        await Act(a1, "mark-result-ready", cA);
        await Act(a1, "return", cA);
        await Act(b2, "withdraw", cB, new { reason = "Công dân xin rút hồ sơ" });

        // Tuesday 10:00: A2 and B1 in 10 working hours, their steps on time, the dossiers early.
        await ClockTo(At(2, 10));
        await Act(a2, "complete-step", sA);
        await Act(a2, "approve", lA);
        await Act(a2, "mark-result-ready", cA);
        await Act(a2, "return", cA);
        await Act(b1, "complete-step", sB);
        await Act(b1, "approve", lB);
        await Act(b1, "mark-result-ready", cB);
        await Act(b1, "return", cB);

        // Wednesday 10:00: A3 and A4 passed their due time with the appraisal undone, the sweeper not having looked since
        // Tuesday 10:00 (when their plans still fitted): overdue, apologised for at once, not in time, the new date eight
        // working hours from the letter (Thursday 10:00), the specialist at fault. A3 then ends, 18 working hours in: late.
        await ClockTo(At(3, 10));
        await Eventually.True(async () => (await Unit(a, month)).GetProperty("apologies").GetInt32() == 2, Seconds, "both apologies counted");
        await Act(a3, "complete-step", sA);
        await Act(a3, "approve", lA);
        await Act(a3, "mark-result-ready", cA);
        await Act(a3, "return", cA);

        // Thursday 11:00: A4 missed its new date too: escalated, the specialist at fault again. It stays open.
        await ClockTo(At(4, 11));
        await Eventually.True(async () => (await Unit(a, month)).GetProperty("escalations").GetInt32() == 1, Seconds, "the escalation counted");

        // Feedback is due ten working days after it came in (Monday 15 March 08:00): one answered early, one late.
        await ClockTo(At(5, 10));
        await Answer(f1, lA);
        await ClockTo(At(16, 10));
        await Answer(f3, lB);

        // Wednesday 31 March: A5 is received at 08:00, handled at once, and its result ready and returned at 23:30
        // local time (16:30 UTC): 7.5 working hours, early (due Friday 2 April), and in March and Q1.
        await ClockTo(At(31, 8));
        var a5 = await Receive(a, cA, "counter");
        await Act(a5, "transfer", cA);
        await Act(a5, "complete-step", sA);
        await Act(a5, "approve", lA);
        await ClockTo(At(31, 23, 30));
        await Act(a5, "mark-result-ready", cA);
        await Act(a5, "return", cA);
        await Eventually.True(async () => (await Unit(a, month)).GetProperty("resolved").GetInt32() == 4, Seconds, "A5 resolved in March");

        foreach (var (code, level) in new[] { (a1, "very_satisfied"), (a2, "satisfied"), (a3, "dissatisfied"), (b1, "neutral") })
            await Eventually.True(async () => (await platform.SendAsCitizenAsync(platform.Request(HttpMethod.Post, "/api/ratings", null,
                new { dossierCode = code, level }))).Status == HttpStatusCode.Created, Seconds, $"{code} rated");

        // The general criteria (30 points): the commune's leader scores its counter and specialist, the district's leader scores him.
        await GeneralCriteria(counterA, lA, month, 28);
        await GeneralCriteria(specialistA, lA, month, 25);
        await GeneralCriteria(leaderA, lD, month, 29);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.SendAsync(platform.Request(HttpMethod.Put,
            $"/api/evaluation/officials/{leaderA}/general-criteria", lA, new { period = month, points = 30 }))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.SendAsync(platform.Request(HttpMethod.Put,
            $"/api/evaluation/officials/{counterA}/general-criteria", lA, new { period = $"{year}", points = 31 }))).Status);

        await ClockTo(new DateTimeOffset(year, 4, 1, 0, 30, 0, Vietnam));
        await Eventually.True(async () => (await Unit(district, month)).GetProperty("satisfaction").GetProperty("ratings").GetInt32() == 4
            && (await Unit(district, month)).GetProperty("feedback").GetProperty("answered").GetInt32() == 2, Seconds, "ratings and answers counted");

        // Commune A in March: received 5 (1 online); resolved 4, early 3 (A1, A2, A5), late 1 (A3); A4 overdue pending.
        var unitA = await Unit(a, month);
        AssertFigures(unitA, received: 5, online: 1, resolved: 4, early: 3, onTime: 3, late: 1, overduePending: 1, apologies: 2, escalations: 1,
            onTimeRate: 75m);
        // Both letters went out after the due time: not in time, against commune A.
        Assert.Equal(2, unitA.GetProperty("apologiesNotInTime").GetInt32());
        // Processing 5.5, 10, 18 and 7.5 working hours: average 10.25, 90th percentile (4th of 4) 18.
        AssertProcessing(unitA, measured: 4, average: 10.25m, p90: 18m);
        AssertSatisfaction(unitA, ratings: 3, verySatisfied: 1, satisfied: 1, neutral: 0, dissatisfied: 1, share: 66.67m);
        AssertFeedback(unitA, received: 2, answered: 1, answeredLate: 0, overdueUnanswered: 1, onTimeRate: 100m);
        // 766: progress 3 ÷ (3 + 1 + 1) × 20 = 12; satisfaction 2 ÷ 3 × 18 = 12; online 1 ÷ 5 × 22 = 4.4; 28.4 of 60 = 47.33%.
        Assert766(unitA, progress: 12m, satisfaction: 12m, online: 4.4m, points: 28.4m, score: 47.33m);

        // Commune B: B1 early in 10 h and rated neutral; B2 withdrawn; its feedback answered late.
        var unitB = await Unit(b, month);
        AssertFigures(unitB, received: 2, online: 0, resolved: 1, early: 1, onTime: 1, late: 0, overduePending: 0, apologies: 0, escalations: 0,
            onTimeRate: 100m);
        AssertFeedback(unitB, received: 1, answered: 1, answeredLate: 1, overdueUnanswered: 0, onTimeRate: 0m);
        Assert766(unitB, progress: 20m, satisfaction: 0m, online: 0m, points: 20m, score: 33.33m);

        // The district sums its communes: 4 on time, 1 late, 1 pending; processing 5.5, 7.5, 10, 10, 18: average 10.2, p90 18.
        var unitD = await Unit(district, month);
        AssertFigures(unitD, received: 7, online: 1, resolved: 5, early: 4, onTime: 4, late: 1, overduePending: 1, apologies: 2, escalations: 1,
            onTimeRate: 80m);
        AssertProcessing(unitD, measured: 5, average: 10.2m, p90: 18m);
        AssertSatisfaction(unitD, ratings: 4, verySatisfied: 1, satisfied: 1, neutral: 1, dissatisfied: 1, share: 50m);
        AssertFeedback(unitD, received: 3, answered: 2, answeredLate: 1, overdueUnanswered: 1, onTimeRate: 50m);
        // 4 ÷ 6 × 20 = 13.33; 2 ÷ 4 × 18 = 9; 1 ÷ 7 × 22 = 3.14; 25.47 of 60 = 42.45%.
        Assert766(unitD, progress: 13.33m, satisfaction: 9m, online: 3.14m, points: 25.47m, score: 42.45m);

        // The quarter holds the 23:30 return of 31 March; April has none of it, but A4 is still overdue pending there.
        var quarter = await Unit(a, $"{year}-Q1");
        Assert.Equal(4, quarter.GetProperty("resolved").GetInt32());
        Assert.Equal(unitA.GetProperty("index766").ToString(), quarter.GetProperty("index766").ToString());
        var april = await Unit(a, $"{year}-04");
        Assert.Equal(0, april.GetProperty("resolved").GetInt32());
        Assert.Equal(0, april.GetProperty("received").GetInt32());
        Assert.Equal(1, april.GetProperty("overduePending").GetInt32());
        Assert.Equal(0, (await Unit(a, $"{year}-Q2")).GetProperty("resolved").GetInt32());

        // Officials of A (mean 13 ÷ 3 steps). Counter: 5 steps on time: 20 + 20 + 30 = 70, + 28 = 98.
        // Specialist: 4 steps (2 early, 1 on time, 1 late), 2 apologies and 1 escalation at fault:
        //   quantity 20 × 4 ÷ 4.33 = 18.46, quality 20 × (1 − 3 ÷ 4) = 5, timeliness 30 × 3 ÷ 4 = 22.5: 45.96, + 25 = 70.96.
        // Leader: the same steps, no fault: 18.46 + 20 + 22.5 = 60.96, + 29 = 89.96.
        var counter = await Official(counterA, month);
        AssertPoints(counter, steps: 5, quantity: 20m, quality: 20m, timeliness: 30m, task: 70m, total: 98m);
        var specialist = await Official(specialistA, month);
        AssertPoints(specialist, steps: 4, quantity: 18.46m, quality: 5m, timeliness: 22.5m, task: 45.96m, total: 70.96m);
        Assert.Equal(2, specialist.GetProperty("steps").GetProperty("apologiesAtFault").GetInt32());
        Assert.Equal(1, specialist.GetProperty("steps").GetProperty("escalationsAtFault").GetInt32());
        var leader = await Official(leaderA, month);
        AssertPoints(leader, steps: 4, quantity: 18.46m, quality: 20m, timeliness: 22.5m, task: 60.96m, total: 89.96m);
        // 98 is "excellent" on points, but 20% of the 3 rated good or better allows none: good, and marked so.
        Assert.Equal("good", counter.GetProperty("band").GetString());
        Assert.True(counter.GetProperty("excellentCapped").GetBoolean());
        Assert.Equal("good", specialist.GetProperty("band").GetString());
        Assert.Equal("good", leader.GetProperty("band").GetString());

        // Rankings: A (47.33%) above B (33.33%); A's officials by points.
        var rankings = await Rankings(district, month);
        Assert.Equal([a, b], rankings.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetGuid()));
        Assert.Equal(unitA.GetProperty("index766").ToString(), rankings.GetProperty("units")[0].GetProperty("indicators").GetProperty("index766").ToString());
        Assert.Equal([counterA, leaderA, specialistA], (await Rankings(a, month)).GetProperty("officials").EnumerateArray()
            .Select(o => o.GetProperty("official").GetProperty("officialId").GetGuid()));

        // Communes are classified by the year from policy data: 47.33% is "yếu" by default, "trung bình" once the province sets 45.
        Assert.Equal("yeu", (await Unit(a, $"{year}")).GetProperty("classification").GetProperty("grade").GetString());
        var (_, policy) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/evaluation/policy", _admin));
        var lowered = new
        {
            taskResults = policy.GetProperty("taskResults"),
            communeGrades = policy.GetProperty("communeGrades").EnumerateArray().Select(g => new
            {
                grade = g.GetProperty("grade").GetString(), label = g.GetProperty("label").GetString(),
                minScore = g.GetProperty("grade").GetString() == "trung_binh" ? 45m : g.GetProperty("minScore").GetDecimal(),
                minOnTimeRate = g.GetProperty("minOnTimeRate").ValueKind == JsonValueKind.Null ? (decimal?)null : g.GetProperty("minOnTimeRate").GetDecimal(),
            }).ToArray(),
        };
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Put, "/api/evaluation/policy", _admin, lowered))).Status);
        Assert.Equal("trung_binh", (await Unit(a, $"{year}")).GetProperty("classification").GetProperty("grade").GetString());
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Put, "/api/evaluation/policy", _admin, policy))).Status);

        // Every report also comes as CSV.
        var csv = await Text($"/api/evaluation/units/{a}?period={month}&format=csv");
        Assert.Contains($"{a},{month},on_time_rate,75\n", csv);
        Assert.Contains($"{a},{month},processing_p90_working_hours,18\n", csv);
        Assert.Contains($"official,1,{counterA},", await Text($"/api/evaluation/rankings?unitId={a}&period={month}&format=csv"));
        Assert.Contains("good,true", await Text($"/api/evaluation/officials/{counterA}?period={month}&format=csv"));

        // Replaying every logged event into fresh projections gives exactly the same numbers.
        var before = new[] { unitA, unitB, unitD, await Rankings(district, month), await Rankings(a, month) }.Select(j => j.ToString()).ToList();
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/evaluation/rebuild", _admin, new { }))).Status);
        var after = new[] { await Unit(a, month), await Unit(b, month), await Unit(district, month), await Rankings(district, month), await Rankings(a, month) }
            .Select(j => j.ToString()).ToList();
        Assert.Equal(before, after);
    }

    private async Task ClockTo(DateTimeOffset instant) =>
        Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", _admin,
            new { advanceTo = instant }))).Status);

    private async Task<string> Receive(Guid unit, string token, string channel)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", token, new
        {
            procedureCode = _procedure, unitId = unit, channel,
            applicant = new { fullName = "Lê Văn Tám", idNumber = "001190005566" },
        }));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("code").GetString()!;
    }

    private async Task Act(string code, string action, string token, object? body = null)
    {
        var (status, answer) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/{action}", token, body ?? new { }));
        Assert.True(status == HttpStatusCode.OK, $"{action} on {code}: {status} {answer}");
    }

    /// <summary>Straight to the Dossier service: the gateway's public limit belongs to the rate-limit test of this run.</summary>
    private async Task<Guid> Feedback(Guid unit)
    {
        var (status, body) = await platform.SendAsCitizenAsync(platform.Request(HttpMethod.Post, "/api/public/feedback", null, new
        {
            kind = "feedback", unitId = unit, content = "Cán bộ hẹn trả kết quả nhưng không liên lạc lại.",
            citizen = new { fullName = "Phạm Thị Hoa", phone = "0912345678" },
        }));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    private async Task Answer(Guid feedback, string token)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/feedback/{feedback}/answer", token,
            new { answer = "Ủy ban đã liên hệ và trả kết quả cho công dân." }));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    private async Task GeneralCriteria(Guid official, string token, string period, decimal points)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/evaluation/officials/{official}/general-criteria", token,
            new { period, points, note = "Chấp hành tốt kỷ luật, kỷ cương hành chính" }));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    private async Task<JsonElement> Get(string path)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Get, path, _admin));
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        return body;
    }

    private Task<JsonElement> Unit(Guid unit, string period) => Get($"/api/evaluation/units/{unit}?period={period}");

    private Task<JsonElement> Official(Guid official, string period) => Get($"/api/evaluation/officials/{official}?period={period}");

    private Task<JsonElement> Rankings(Guid unit, string period) => Get($"/api/evaluation/rankings?unitId={unit}&period={period}");

    private async Task<string> Text(string path)
    {
        using var request = platform.Request(HttpMethod.Get, path, _admin);
        using var response = await platform.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static void AssertFigures(JsonElement i, int received, int online, int resolved, int early, int onTime, int late, int overduePending,
        int apologies, int escalations, decimal onTimeRate)
    {
        Assert.Equal([received, online, resolved, early, onTime, late, overduePending, apologies, escalations],
            new[] { "received", "online", "resolved", "early", "onTime", "late", "overduePending", "apologies", "escalations" }
                .Select(name => i.GetProperty(name).GetInt32()));
        Assert.Equal(onTimeRate, i.GetProperty("onTimeRate").GetDecimal());
    }

    private static void AssertProcessing(JsonElement i, int measured, decimal average, decimal p90)
    {
        var processing = i.GetProperty("processingTime");
        Assert.Equal(measured, processing.GetProperty("measured").GetInt32());
        Assert.Equal(average, processing.GetProperty("averageWorkingHours").GetDecimal());
        Assert.Equal(p90, processing.GetProperty("p90WorkingHours").GetDecimal());
    }

    private static void AssertSatisfaction(JsonElement i, int ratings, int verySatisfied, int satisfied, int neutral, int dissatisfied, decimal share)
    {
        var s = i.GetProperty("satisfaction");
        Assert.Equal([ratings, verySatisfied, satisfied, neutral, dissatisfied],
            new[] { "ratings", "verySatisfied", "satisfied", "neutral", "dissatisfied" }.Select(name => s.GetProperty(name).GetInt32()));
        Assert.Equal(share, s.GetProperty("satisfiedShare").GetDecimal());
    }

    private static void AssertFeedback(JsonElement i, int received, int answered, int answeredLate, int overdueUnanswered, decimal onTimeRate)
    {
        var f = i.GetProperty("feedback");
        Assert.Equal([received, answered, answeredLate, overdueUnanswered],
            new[] { "received", "answered", "answeredLate", "overdueUnanswered" }.Select(name => f.GetProperty(name).GetInt32()));
        Assert.Equal(onTimeRate, f.GetProperty("answeredOnTimeRate").GetDecimal());
    }

    private static void Assert766(JsonElement i, decimal progress, decimal satisfaction, decimal online, decimal points, decimal score)
    {
        var index = i.GetProperty("index766");
        Assert.Equal([progress, satisfaction, online, points, score],
            new[] { "progress", "satisfaction", "online", "measuredPoints", "score" }.Select(name => index.GetProperty(name).GetDecimal()));
        Assert.Equal(60, index.GetProperty("measuredOutOf").GetInt32());
        Assert.Equal("not_measured", index.GetProperty("publicity").GetString());
        Assert.Equal("not_measured", index.GetProperty("digitisation").GetString());
    }

    private static void AssertPoints(JsonElement official, int steps, decimal quantity, decimal quality, decimal timeliness, decimal task, decimal total)
    {
        Assert.Equal(steps, official.GetProperty("steps").GetProperty("ended").GetInt32());
        var points = official.GetProperty("taskResults");
        Assert.Equal([quantity, quality, timeliness, task],
            new[] { "quantity", "quality", "timeliness", "total" }.Select(name => points.GetProperty(name).GetDecimal()));
        Assert.Equal(total, official.GetProperty("total").GetDecimal());
        Assert.Equal("335/2025", official.GetProperty("regime").GetString());
    }
}
