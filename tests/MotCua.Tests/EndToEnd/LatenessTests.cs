using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Lateness;
using MotCua.Hosting.Time;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Late dossiers on the simulated clock: at risk, the apology in its window a working day ahead, the fallback after an outage,
/// drafts signed by a leader, by hand, late again, and two sweepers at once.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LatenessTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(20);

    private async Task<(Guid Unit, string Counter, string Specialist)> StaffAsync()
    {
        var unit = await platform.NewCommuneAsync();
        async Task<string> Official(string role) => (await platform.OfficialAsync(unit, role)).Token;
        return (unit, await Official("counter"), await Official("specialist"));
    }

    private Task<string> ProcedureAsync(int days) =>
        platform.ProcedureAsync("Xác nhận thử nghiệm", days, PlatformFixture.OneStopSteps(1, days * 8 - 3, 1, 1));

    private async Task<JsonElement> IntakeAsync(Guid unit, string counter, string procedure)
    {
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = unit, channel = "counter",
            applicant = new { fullName = "Phạm Văn Hùng", idNumber = "001085001122", phone = "0905123456" },
        }));
        Assert.True(status == HttpStatusCode.Created, dossier.ToString());
        return dossier;
    }

    private async Task MoveClockTo(DateTimeOffset instant)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", await platform.TokenAsync(),
            new { advanceTo = instant }));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    private Task<long> Events(string type, string code) => platform.CountAsync("dossier",
        "SELECT count(*) FROM outbox WHERE message_type = $1 AND body->>'code' = $2", "MotCua.Contracts." + type, code);

    private async Task<JsonElement[]> ApologiesAsync(string code, string token) =>
        (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", token))).Body.EnumerateArray().ToArray();

    /// <summary>The sweeper has had its look at the dossier at the clock's present time: nothing of it is due a look any more.</summary>
    private async Task SweptAsync(string code)
    {
        var now = await platform.NowAsync();
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM dossiers WHERE code = $1 AND (next_check_at IS NULL OR next_check_at > $2)", code, now) == 1,
            Seconds, "the sweeper looked at the dossier");
    }

    private async Task<WorkingCalendar> CalendarAsync(DateTimeOffset around) => await platform.CalendarAsync(around.Year, around.Year + 1);

    /// <summary>When the apology window of a dossier received at <paramref name="received"/> opens: about one working day before its due time.</summary>
    private static DateTimeOffset WindowOpens(WorkingCalendar calendar, DateTimeOffset received, int days) =>
        calendar.Add(received, ApologyWindow.OpensAfter(TimeSpan.FromHours(8 * days), calendar));

    [Fact]
    public async Task A_dossier_that_will_be_late_apologises_a_working_day_ahead_in_the_name_of_the_unit_at_fault_and_escalates_when_late_again()
    {
        var (unit, counter, _) = await StaffAsync();
        var leader = await platform.OfficialAsync(unit, "leader");
        var dossier = await IntakeAsync(unit, counter, await ProcedureAsync(3));
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
        var calendar = await CalendarAsync(due);

        // Past the reception step's own deadline, the window still shut: the holder is warned, once, and nothing is written yet.
        await MoveClockTo(dossier.GetProperty("steps")[0].GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1));
        await Eventually.True(async () => await Events("DossierAtRisk", code) == 1, Seconds, "at risk");
        Assert.Empty(await ApologiesAsync(code, counter));

        // The window opens with the step still late: the letter goes out now, a working day before the due time.
        await MoveClockTo(WindowOpens(calendar, dossier.GetProperty("receivedAt").GetDateTimeOffset(), 3));
        var apology = (await Eventually.Get<object>(async () => (await ApologiesAsync(code, counter)) is [var one] ? one : null,
            Seconds, "the apology in its window") as JsonElement?)!.Value;
        var issuedAt = apology.GetProperty("issuedAt").GetDateTimeOffset();
        Assert.True(calendar.Between(issuedAt, due) >= calendar.WorkingDay, $"issued {issuedAt:O}, due {due:O}");
        Assert.True(apology.GetProperty("inTime").GetBoolean());
        Assert.Equal("issued", apology.GetProperty("state").GetString());
        Assert.True(apology.GetProperty("automatic").GetBoolean());
        Assert.Equal("Tiếp nhận", apology.GetProperty("responsibleStep").GetString());
        Assert.Equal(unit, apology.GetProperty("responsibleUnitId").GetGuid());
        Assert.Equal(unit, apology.GetProperty("issuedBy").GetGuid());
        Assert.Equal(leader.Id, apology.GetProperty("signer").GetProperty("officialId").GetGuid());
        Assert.Equal("Nguyễn Thị leader", apology.GetProperty("signer").GetProperty("name").GetString());
        Assert.Equal(due, apology.GetProperty("previousDueAt").GetDateTimeOffset());
        var newDue = apology.GetProperty("newDueAt").GetDateTimeOffset();
        Assert.Equal(calendar.AddHours(due, 24), newDue);
        await Eventually.True(async () => await Events("ApologyIssued", code) == 1, Seconds, "ApologyIssued in the outbox");

        // The citizen is told, once, by SMS with the new date.
        var expectedSms = $"Xin loi Ong/Ba: ho so {code} tre hen. Ngay hen moi: {newDue.ToOffset(TimeSpan.FromHours(7)):dd/MM/yyyy}. So phieu: {apology.GetProperty("number").GetString()}";
        await Eventually.True(() => Task.FromResult(platform.Sms.Accepted.Any(m => m.Text == expectedSms)), Seconds, "the apology SMS");
        Assert.Single(platform.Sms.Accepted, m => m.Text == expectedSms);

        var (_, lookup) = await platform.SendAsCitizenAsync(platform.Request(HttpMethod.Get, $"/api/public/dossiers/{code}", null));
        Assert.True(lookup.GetProperty("apologized").GetBoolean());
        Assert.Equal(newDue, lookup.GetProperty("newDueAt").GetDateTimeOffset());

        var number = apology.GetProperty("number").GetString()!;
        using var html = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies/{number}/letter", counter));
        var page = await html.Content.ReadAsStringAsync();
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("XIN LỖI", page);
        Assert.Contains(code, page);
        Assert.Contains("Phạm Văn Hùng", page);
        Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", page);

        using var pdfRequest = platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies/{number}/letter", counter);
        pdfRequest.Headers.Accept.ParseAdd("application/pdf");
        using var pdf = await platform.Client.SendAsync(pdfRequest);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.True(bytes.AsSpan().IndexOf("/Liberation#20Serif"u8) >= 0, "the letter embeds Liberation Serif (Times New Roman metrics), whole");

        // The first due time passes: the letter covers it, so nothing is raised and no second letter follows.
        await MoveClockTo(due.AddMinutes(1));
        await SweptAsync(code);
        Assert.Equal(0, await Events("DossierOverdue", code));
        Assert.Single(await ApologiesAsync(code, counter));

        await MoveClockTo(newDue.AddMinutes(1));
        await Eventually.True(async () => await Events("DossierEscalated", code) == 1, Seconds, "escalated when late again");
        Assert.Equal(1, await Events("DossierOverdue", code));
        Assert.Single(await ApologiesAsync(code, counter));
        var (_, history) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/history", counter));
        Assert.Equal(["receive", "apologize", "overdue", "escalate"], history.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
    }

    /// <summary>
    /// A procedure of one working day has its window open from the start: its letter goes out as soon as a step is late,
    /// before the due time, and says it is not a working day ahead.
    /// </summary>
    [Fact]
    public async Task A_one_day_dossiers_letter_goes_out_as_soon_as_a_step_is_late_and_says_it_is_not_in_time()
    {
        var (unit, counter, _) = await StaffAsync();
        var dossier = await IntakeAsync(unit, counter, await ProcedureAsync(1));
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
        await MoveClockTo(dossier.GetProperty("steps")[0].GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1));
        var apology = (await Eventually.Get<object>(async () => (await ApologiesAsync(code, counter)) is [var one] ? one : null,
            Seconds, "the letter of a one-day dossier") as JsonElement?)!.Value;
        Assert.True(apology.GetProperty("issuedAt").GetDateTimeOffset() < due);
        Assert.False(apology.GetProperty("inTime").GetBoolean());
        Assert.Equal(0, await Events("DossierOverdue", code));
    }

    /// <summary>
    /// The sweeper away over the whole window and past the due time (an outage, a long weekend): the letter goes out as
    /// soon as it is back, says it is not in time, promises a date counted from itself, and counts against the unit.
    /// </summary>
    [Fact]
    public async Task After_an_outage_the_fallback_letter_goes_out_at_once_not_in_time_with_a_new_date_ahead_of_it()
    {
        var (unit, counter, _) = await StaffAsync();
        var dossier = await IntakeAsync(unit, counter, await ProcedureAsync(3));
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
        var calendar = await CalendarAsync(due);

        var back = due.AddDays(5);
        await MoveClockTo(back);
        var apology = (await Eventually.Get<object>(async () => (await ApologiesAsync(code, counter)) is [var one] ? one : null,
            Seconds, "the fallback letter") as JsonElement?)!.Value;
        var issuedAt = apology.GetProperty("issuedAt").GetDateTimeOffset();
        Assert.True(issuedAt >= back, $"issued {issuedAt:O}");
        Assert.False(apology.GetProperty("inTime").GetBoolean());
        Assert.Equal("issued", apology.GetProperty("state").GetString());
        var newDue = apology.GetProperty("newDueAt").GetDateTimeOffset();
        Assert.True(newDue > issuedAt, $"the new date {newDue:O} is ahead of the letter {issuedAt:O}");
        Assert.Equal(calendar.AddHours(issuedAt, 24), newDue);
        Assert.Equal(1, await Events("DossierOverdue", code));
        Assert.Equal(0, await Events("DossierEscalated", code));

        var period = $"{VietnamTime.ToLocal(issuedAt):yyyy-MM}";
        await Eventually.True(async () =>
        {
            var (_, report) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={period}", await platform.TokenAsync()));
            return report.TryGetProperty("apologiesNotInTime", out var late) && late.GetInt32() == 1;
        }, Seconds, "Evaluation counts the late letter against the unit");
    }

    /// <summary>The province's policy: the platform drafts the letter and a leader of the unit signs it with one click.</summary>
    [Fact]
    public async Task Under_a_draft_policy_the_letter_waits_for_the_units_leader_who_alone_may_sign_it_once()
    {
        var (unit, counter, specialist) = await StaffAsync();
        var leader = await platform.OfficialAsync(unit, "leader");
        var otherLeader = await platform.OfficialAsync(await platform.NewCommuneAsync(), "leader");
        var admin = await platform.TokenAsync();
        var (refused, badMode) = await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/apology-policies/{unit}", admin, new { mode = "later" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.True(badMode.GetProperty("errors").TryGetProperty("mode", out _), badMode.ToString());
        var (set, policy) = await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/apology-policies/{unit}", admin, new { mode = "draft" }));
        Assert.True(set == HttpStatusCode.OK, policy.ToString());
        var (_, held) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/apology-policies/{unit}", counter));
        Assert.Equal("draft", held.GetProperty("mode").GetString());

        var dossier = await IntakeAsync(unit, counter, await ProcedureAsync(3));
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
        var calendar = await CalendarAsync(due);
        await MoveClockTo(WindowOpens(calendar, dossier.GetProperty("receivedAt").GetDateTimeOffset(), 3));
        var draft = (await Eventually.Get<object>(async () => (await ApologiesAsync(code, counter)) is [var one] ? one : null,
            Seconds, "the drafted letter") as JsonElement?)!.Value;
        Assert.Equal("draft", draft.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("issuedAt").ValueKind);
        Assert.Equal(0, await Events("ApologyIssued", code));
        Assert.Equal(1, await Events("ApologyDrafted", code));
        var number = draft.GetProperty("number").GetString()!;
        var (_, queue) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/apologies?state=draft&unitId={unit}", leader.Token));
        Assert.Contains(queue.EnumerateArray(), d => d.GetProperty("code").GetString() == code);
        await Eventually.True(async () => await platform.CountAsync("notification",
            "SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND template = 'apology-drafted' AND official_id = $2", code, leader.Id) == 1,
            Seconds, "the leader is told a letter waits");
        var (_, lookup) = await platform.SendAsCitizenAsync(platform.Request(HttpMethod.Get, $"/api/public/dossiers/{code}", null));
        Assert.False(lookup.GetProperty("apologized").GetBoolean());

        var approve = $"/api/dossiers/{code}/apologies/{number}/approve";
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.SendAsync(platform.Request(HttpMethod.Post, approve, specialist, new { }))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.SendAsync(platform.Request(HttpMethod.Post, approve, otherLeader.Token, new { }))).Status);
        foreach (var date in new[] { due.AddHours(-1), calendar.AddHours(due, 24).AddMinutes(1) })
        {
            var (bad, problem) = await platform.SendAsync(platform.Request(HttpMethod.Post, approve, leader.Token, new { newDueAt = date }));
            Assert.Equal(HttpStatusCode.BadRequest, bad);
            Assert.True(problem.GetProperty("errors").TryGetProperty("newDueAt", out _), problem.ToString());
        }
        var (ok, signed) = await platform.SendAsync(platform.Request(HttpMethod.Post, approve, leader.Token, new { }));
        Assert.True(ok == HttpStatusCode.OK, signed.ToString());
        Assert.Equal("issued", signed.GetProperty("state").GetString());
        Assert.True(signed.GetProperty("inTime").GetBoolean());
        Assert.Equal(leader.Id, signed.GetProperty("signer").GetProperty("officialId").GetGuid());
        Assert.Equal(calendar.AddHours(due, 24), signed.GetProperty("newDueAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Conflict, (await platform.SendAsync(platform.Request(HttpMethod.Post, approve, leader.Token, new { }))).Status);
        await Eventually.True(async () => await Events("ApologyIssued", code) == 1, Seconds, "ApologyIssued once signed");
        var (_, after) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}", counter));
        Assert.Equal(calendar.AddHours(due, 24), after.GetProperty("newDueAt").GetDateTimeOffset());
    }

    /// <summary>
    /// Liên thông: the land office's appraisal is past its own deadline when the window opens, so the land office apologises,
    /// numbered in its own book and signed by its leader, not the commune that received the dossier.
    /// </summary>
    [Fact]
    public async Task A_lien_thong_dossiers_letter_comes_from_the_land_office_at_fault_signed_by_its_leader()
    {
        var (commune, counter, _) = await StaffAsync();
        await platform.OfficialAsync(commune, "leader");
        var landOffice = await platform.NewAgencyAsync("land_registration", platform.Province, commune);
        var landLeader = await platform.OfficialAsync(landOffice, "leader");
        var procedure = "LT." + Guid.NewGuid().ToString("N")[..10];
        var (created, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/procedures", await platform.TokenAsync(), new
        {
            code = procedure, name = "Đăng ký biến động đất đai", field = "Đất đai", processingTime = new { value = 3, unit = "workingDays" },
            steps = new object[]
            {
                new { name = "Tiếp nhận", role = "counter", hours = 1 },
                new { name = "Thẩm định hồ sơ đất đai", role = "specialist", hours = 8, unitKind = "land_registration" },
                new { name = "Xác nhận của văn phòng đăng ký", role = "leader", hours = 13, unitKind = "land_registration" },
                new { name = "Trả kết quả", role = "counter", hours = 2 },
            },
        }));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var dossier = await IntakeAsync(commune, counter, procedure);
        var code = dossier.GetProperty("code").GetString()!;
        var (moved, transferred) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/transfer", counter, new { }));
        Assert.True(moved == HttpStatusCode.OK, transferred.ToString());
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
        var calendar = await CalendarAsync(due);

        await MoveClockTo(WindowOpens(calendar, dossier.GetProperty("receivedAt").GetDateTimeOffset(), 3));
        var apology = (await Eventually.Get<object>(async () => (await ApologiesAsync(code, counter)) is [var one] ? one : null,
            Seconds, "the land office's letter") as JsonElement?)!.Value;
        Assert.Equal("Thẩm định hồ sơ đất đai", apology.GetProperty("responsibleStep").GetString());
        Assert.Equal(landOffice, apology.GetProperty("responsibleUnitId").GetGuid());
        Assert.Equal(landOffice, apology.GetProperty("issuedBy").GetGuid());
        Assert.Equal(landLeader.Id, apology.GetProperty("signer").GetProperty("officialId").GetGuid());
        Assert.True(apology.GetProperty("inTime").GetBoolean());
        Assert.Equal(1, await platform.CountAsync("dossier", """
            SELECT count(*) FROM apologies a JOIN unit_directory u ON u.agency_code = a.agency_code WHERE a.number = $1 AND u.id = $2
              AND a.dossier_id = (SELECT id FROM dossiers WHERE code = $3)
            """, apology.GetProperty("number").GetString()!, landOffice, code));
    }

    [Fact]
    public async Task A_specialists_apology_by_hand_is_a_draft_a_leader_signs_and_the_sweeper_adds_no_second()
    {
        var (unit, counter, specialist) = await StaffAsync();
        var leader = await platform.OfficialAsync(unit, "leader");
        var dossier = await IntakeAsync(unit, counter, await ProcedureAsync(3));
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
        // Within the procedure's extension (its statutory three working days again): two calendar days hold at most that.
        var promised = due.AddDays(2);

        var (missing, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", specialist,
            new { reason = "Chờ xác minh" }));
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        var (byCounter, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", counter,
            new { reason = "Chờ xác minh", newDueAt = promised }));
        Assert.Equal(HttpStatusCode.Forbidden, byCounter);
        // A date beyond the extension the procedure allows (31/12/2032 once went out), or not after the due time, is refused.
        foreach (var wrong in new[] { due.AddDays(30), new DateTimeOffset(2032, 12, 31, 0, 0, 0, TimeSpan.Zero), due.AddHours(-2) })
        {
            var (far, farProblem) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize",
                specialist, new { reason = "Chờ xác minh", newDueAt = wrong }));
            Assert.Equal(HttpStatusCode.BadRequest, far);
            Assert.True(farProblem.GetProperty("errors").TryGetProperty("newDueAt", out _), farProblem.ToString());
        }
        var (ok, drafted) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", specialist,
            new { reason = "Phải xác minh tại địa phương khác", newDueAt = promised }));
        Assert.True(ok == HttpStatusCode.OK, drafted.ToString());
        Assert.Equal(JsonValueKind.Null, drafted.GetProperty("newDueAt").ValueKind);
        var draft = Assert.Single(await ApologiesAsync(code, counter));
        Assert.Equal("draft", draft.GetProperty("state").GetString());
        var (again, problem) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", specialist,
            new { reason = "Lần nữa", newDueAt = promised.AddDays(1) }));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("một lần", problem.GetProperty("detail").GetString());

        var (signed, letter) = await platform.SendAsync(platform.Request(HttpMethod.Post,
            $"/api/dossiers/{code}/apologies/{draft.GetProperty("number").GetString()}/approve", leader.Token, new { }));
        Assert.True(signed == HttpStatusCode.OK, letter.ToString());
        Assert.Equal(promised, letter.GetProperty("newDueAt").GetDateTimeOffset());
        Assert.False(letter.GetProperty("automatic").GetBoolean());
        Assert.True(letter.GetProperty("inTime").GetBoolean());

        // Past the first due time the letter covers the delay: nothing new.
        await MoveClockTo(due.AddHours(1));
        await SweptAsync(code);
        var apology = Assert.Single(await ApologiesAsync(code, counter));
        Assert.Equal("issued", apology.GetProperty("state").GetString());
        Assert.Equal(0, await Events("DossierOverdue", code));

        await MoveClockTo(promised.AddMinutes(1));
        await Eventually.True(async () => await Events("DossierEscalated", code) == 1, Seconds, "late again after the promised date");
        Assert.Equal(1, await Events("DossierOverdue", code));
        Assert.Equal(1, await Events("ApologyIssued", code));
        Assert.Single(await ApologiesAsync(code, counter));
    }

    [Fact]
    public async Task Two_sweepers_racing_over_one_storm_and_one_killed_midway_issue_exactly_one_apology_per_dossier()
    {
        var (unit, counter, _) = await StaffAsync();
        var procedure = await ProcedureAsync(1);
        var codes = new List<string>();
        DateTimeOffset latest = default;
        foreach (var chunk in Enumerable.Range(0, 160).Chunk(16))
            foreach (var (_, dossier) in await Task.WhenAll(chunk.Select(_ => platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter,
                         new { procedureCode = procedure, unitId = unit, channel = "counter", applicant = new { fullName = "Đỗ Văn Bão", idNumber = "001080009999" } })))))
            {
                codes.Add(dossier.GetProperty("code").GetString()!);
                var due = dossier.GetProperty("dueAt").GetDateTimeOffset();
                if (due > latest) latest = due;
            }

        using var second = platform.StartInstance("dossier");
        await Eventually.True(async () => (await platform.Client.GetAsync(new Uri(second.Address, "/health/ready"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "the second Dossier instance is ready");
        // The gateway does not know the extra instance: move its clock directly, then everyone else's, so both sweepers
        // wake on the same storm.
        var (moved, _) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/admin/clock", await platform.TokenAsync(),
            new { advanceTo = latest.AddMinutes(1) }, baseUri: second.Address));
        Assert.Equal(HttpStatusCode.OK, moved);
        await MoveClockTo(latest.AddMinutes(1));
        await Eventually.True(async () =>
        {
            var (_, stats) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/admin/sweeper", await platform.TokenAsync(), baseUri: second.Address));
            return stats.ValueKind == JsonValueKind.Object && stats.GetProperty("batches").GetInt64() > 0;
        }, Seconds, "the second sweeper takes a share");
        second.Kill();

        await using var dataSource = Npgsql.NpgsqlDataSource.Create(platform.DatabaseOf("dossier"));
        async Task<long> Scalar(string sql)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = codes.ToArray() });
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        await Eventually.True(async () => await Scalar(
            "SELECT count(*) FROM apologies a JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = ANY($1)") == codes.Count,
            TimeSpan.FromSeconds(60), "every dossier apologised");
        Assert.Equal(codes.Count, await Scalar(
            "SELECT count(DISTINCT body->>'code') FROM outbox WHERE message_type = 'MotCua.Contracts.ApologyIssued' AND body->>'code' = ANY($1)"));
        Assert.Equal(codes.Count, await Scalar(
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.ApologyIssued' AND body->>'code' = ANY($1)"));
        Assert.Equal(codes.Count, await Scalar(
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.DossierOverdue' AND body->>'code' = ANY($1)"));
        await Eventually.True(async () => await Scalar(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND body->>'code' = ANY($1)") == 0, TimeSpan.FromSeconds(60), "all published");
    }
}
