using System.Net;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// Officials' contacts (<c>contact: { phone, email }</c>) and the notices that reach them: the assignment, the at-risk
/// warning, the overdue notice and the escalation, checked on what reached the fake SMS gateway and the SMTP sink.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OfficialNoticesTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    /// <summary>A mobile number the fake gateway accepts at once (ending in 2: never a failure-injecting suffix).</summary>
    private static string GoodNumber() => "0388" + Random.Shared.Next(0, 100000).ToString("D5") + "2";

    private const string Password = "mat-khau-an-toan";

    private static object Official(Guid unit, string role, object? contact, string? username = null) => new
    {
        fullName = "Trần Văn " + role, gender = "male", birthDate = "1985-05-05", ethnicity = "Kinh", category = "civil_servant",
        title = "Chuyên viên", unitId = unit, roles = new[] { role },
        education = new { general = "upper_secondary", professional = "university", politicalTheory = "elementary", stateManagement = "none" },
        contact, account = username is null ? null : new { username, password = Password },
    };

    /// <summary>Registers an official (with a contact, if given) and waits until Dossier and Notification know them and it.</summary>
    private async Task<Guid> RegisterAsync(Guid unit, string role, string? phone = null, string? email = null, string? username = null)
    {
        var contact = phone is null && email is null ? null : new { phone, email };
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/officials", await platform.TokenAsync(),
            Official(unit, role, contact, username)));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("id").GetGuid();
        await Eventually.True(async () =>
            await platform.CountAsync("dossier", "SELECT count(*) FROM official_postings WHERE official_id = $1", id) == 1
            && await platform.CountAsync("notification", "SELECT count(*) FROM official_postings WHERE official_id = $1", id) == 1
            && (contact is null || await platform.CountAsync("notification", "SELECT count(*) FROM official_contacts WHERE official_id = $1", id) == 1),
            // A demo province registered just before (PersonnelTests) queues thousands of officials ahead of this one.
            TimeSpan.FromSeconds(90), $"Dossier and Notification know the {role}");
        return id;
    }

    private async Task<JsonElement> GetOfficialAsync(Guid id, string token)
    {
        var (status, body) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/officials/{id}", token));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("official");
    }

    private static void AssertNamed(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());

    private Task WaitForSms(string phone, string text, string what) =>
        Eventually.True(() => Task.FromResult(platform.Sms.Accepted.Any(m => m.To == phone && m.Text == text)), Seconds, what);

    [Fact]
    public async Task An_officials_contact_is_validated_shown_to_the_units_leaders_masked_to_colleagues_and_changed_by_an_admin()
    {
        var admin = await platform.TokenAsync();
        var unit = await platform.NewCommuneAsync();
        foreach (var (contact, field) in new (object, string)[] { (new { phone = "0123" }, "contact.phone"), (new { email = "khong-phai-thu" }, "contact.email") })
        {
            var (bad, problem) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/officials", admin, Official(unit, "specialist", contact)));
            Assert.Equal(HttpStatusCode.BadRequest, bad);
            AssertNamed(problem, field);
        }

        var phone = GoodNumber();
        var id = await RegisterAsync(unit, "specialist", phone, "chuyenvien.dat@example.vn");
        var shown = (await GetOfficialAsync(id, admin)).GetProperty("contact");
        Assert.Equal(phone, shown.GetProperty("phone").GetString());
        Assert.Equal("chuyenvien.dat@example.vn", shown.GetProperty("email").GetString());

        var (_, leader) = await platform.OfficialAsync(unit, "leader");
        Assert.Equal(phone, (await GetOfficialAsync(id, leader)).GetProperty("contact").GetProperty("phone").GetString());
        var (_, colleague) = await platform.OfficialAsync(unit, "specialist");
        var masked = (await GetOfficialAsync(id, colleague)).GetProperty("contact");
        Assert.Equal(phone[..4] + "***" + phone[^3..], masked.GetProperty("phone").GetString());
        Assert.Equal("c***@example.vn", masked.GetProperty("email").GetString());

        var (refused, refusal) = await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/officials/{id}/contact", admin, new { phone = "+8412345" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        AssertNamed(refusal, "contact.phone");
        var (forbidden, _) = await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/officials/{id}/contact", leader, new { phone = GoodNumber() }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);

        var changed = GoodNumber();
        var (ok, body) = await platform.SendAsync(platform.Request(HttpMethod.Put, $"/api/officials/{id}/contact", admin, new { phone = changed }));
        Assert.True(ok == HttpStatusCode.OK, body.ToString());
        var now = (await GetOfficialAsync(id, admin)).GetProperty("contact");
        Assert.Equal(changed, now.GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.Null, now.GetProperty("email").ValueKind);
        // Notification's copy follows: the next notice goes to the new number.
        await Eventually.True(async () => await platform.CountAsync("notification",
            "SELECT count(*) FROM official_contacts WHERE official_id = $1 AND phone = $2 AND email IS NULL", id, changed) == 1,
            Seconds, "Notification keeps the changed contact");
    }

    [Fact]
    public async Task A_step_done_by_another_unit_warns_that_units_official_and_leaders_by_sms_and_e_mail_and_escalates_above_that_unit()
    {
        // The receiving commune hands the appraisal to a land office (liên thông) attached to a district of its own, so the
        // level above the unit at fault is not the commune's.
        var district = await platform.NewDistrictAsync();
        var commune = await platform.NewCommuneAsync();
        var landOffice = await platform.NewAgencyAsync("land_registration", district, commune);
        var (_, counter) = await platform.OfficialAsync(commune, "counter");
        var communeLeaderPhone = GoodNumber();
        await RegisterAsync(commune, "leader", communeLeaderPhone);
        var (specialistPhone, specialistEmail) = (GoodNumber(), $"td{Random.Shared.Next(100000, 999999)}@example.vn");
        var specialist = await RegisterAsync(landOffice, "specialist", specialistPhone, specialistEmail);
        var firstHolder = await RegisterAsync(landOffice, "specialist");
        var landLeaderPhone = GoodNumber();
        var landLeaderName = $"leader.{Guid.NewGuid():N}"[..24];
        await RegisterAsync(landOffice, "leader", landLeaderPhone, username: landLeaderName);
        var silentLeader = await RegisterAsync(landOffice, "leader");
        var districtLeaderPhone = GoodNumber();
        await RegisterAsync(district, "leader", districtLeaderPhone);

        var procedure = "T." + Guid.NewGuid().ToString("N")[..10];
        var (created, body) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/procedures", await platform.TokenAsync(), new
        {
            code = procedure, name = "Đăng ký biến động đất đai", field = "Đất đai", processingTime = new { value = 3, unit = "workingDays" },
            steps = new object[]
            {
                new { name = "Tiếp nhận", role = "counter", hours = 1 },
                new { name = "Thẩm định", role = "specialist", hours = 21, unitId = landOffice },
                new { name = "Phê duyệt", role = "leader", hours = 1 },
                new { name = "Trả kết quả", role = "counter", hours = 1 },
            },
        }));
        Assert.True(created == HttpStatusCode.Created, body.ToString());

        // Notices to officials wait out the night: start in working time, so the assignment goes at once.
        var now = await platform.NowAsync();
        var year = now.ToOffset(Vn).Year;
        var opening = (await platform.CalendarAsync(year - 1, year + 2)).NextOpening(now);
        if (opening > now) await platform.AdvanceClockToAsync(opening);

        var (received, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", counter, new
        {
            procedureCode = procedure, unitId = commune, channel = "counter",
            applicant = new { fullName = "Lê Thị Hồng Gấm", idNumber = "079190004321" },
        }));
        Assert.True(received == HttpStatusCode.Created, dossier.ToString());
        var code = dossier.GetProperty("code").GetString()!;
        var (transferredStatus, transferred) = await platform.SendAsync(platform.Request(HttpMethod.Post,
            $"/api/dossiers/{code}/actions/transfer", counter, new { assigneeId = firstHolder }));
        Assert.True(transferredStatus == HttpStatusCode.OK, transferred.ToString());
        var stepDue = transferred.GetProperty("steps")[1].GetProperty("dueAt").GetDateTimeOffset();
        var due = transferred.GetProperty("dueAt").GetDateTimeOffset();

        // The first holder left no contact: the assignment is on the log, naming them, once (the transfer is one hand-off,
        // whatever events it raises). The land office's leader then gives the step to the specialist (phân công), who is told by SMS.
        await Eventually.True(async () => await platform.CountAsync("notification", """
            SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND template = 'dossier-assigned' AND channel = 'log' AND official_id = $2
            """, code, firstHolder) == 1, Seconds, "the assignment on the log for the holder without a contact");
        var (assignedStatus, reassigned) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/assign",
            await platform.TokenAsync(landLeaderName, Password), new { assigneeId = specialist }));
        Assert.True(assignedStatus == HttpStatusCode.OK, reassigned.ToString());
        var assigned = $"Ho so {code} duoc giao cho Ong/Ba: buoc Tham dinh, han {stepDue.ToOffset(Vn):HH:mm dd/MM/yyyy}.";
        await WaitForSms(specialistPhone, assigned, "the assignment notice");

        // Past the appraisal's own deadline: the land office's holder and leaders are warned, not the receiving commune's.
        await platform.AdvanceClockToAsync(stepDue.AddMinutes(1));
        var atRisk = $"Ho so {code} sap tre han (buoc Tham dinh, han {stepDue.ToOffset(Vn):HH:mm dd/MM/yyyy}).";
        await WaitForSms(specialistPhone, atRisk, "the at-risk warning to the holder");
        await WaitForSms(landLeaderPhone, atRisk, "the at-risk warning to the land office's leader");
        await Eventually.True(() => Task.FromResult(platform.Mail.Received.Any(m => m.To == specialistEmail && m.Subject == $"Hồ sơ {code} sắp trễ hạn")),
            Seconds, "the at-risk warning by e-mail");
        // The leader without a contact is not forgotten: a log delivery names them.
        await Eventually.True(async () => await platform.CountAsync("notification", """
            SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND template = 'dossier-at-risk' AND channel = 'log'
                AND official_id = $2 AND recipient_masked = $3
            """, code, silentLeader, $"official {silentLeader}") == 1, Seconds, "the log delivery for the leader without a contact");

        // The step late with the apology window open (a three-day procedure's appraisal due in its last day): the land
        // office apologises at once, in its own name. Its new date then passes: overdue, and escalated above the land office.
        var letter = (await Eventually.Get<object>(async () =>
            (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/apologies", counter))).Body is { ValueKind: JsonValueKind.Array } list
                && list.GetArrayLength() == 1 ? list[0] : null, Seconds, "the land office's apology") as JsonElement?)!.Value;
        Assert.Equal(landOffice, letter.GetProperty("issuedBy").GetGuid());
        var newDue = letter.GetProperty("newDueAt").GetDateTimeOffset();
        Assert.True(newDue > due);
        await platform.AdvanceClockToAsync(newDue.AddMinutes(1));
        var overdue = $"Ho so {code} da qua han (buoc Tham dinh).";
        await WaitForSms(specialistPhone, overdue, "the overdue notice to the official at fault");
        await WaitForSms(landLeaderPhone, overdue, "the overdue notice to the land office's leader");
        await WaitForSms(districtLeaderPhone, $"Ho so {code} tre hen lan hai; bao cao cap tren.", "the escalation to the level above the land office");

        // Each was told once, and the receiving commune's leader not at all.
        Assert.Single(platform.Sms.Accepted, m => m.To == specialistPhone && m.Text == assigned);
        Assert.Equal(1, await platform.CountAsync("notification",
            "SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND template = 'dossier-assigned' AND official_id = $2", code, firstHolder));
        Assert.Single(platform.Sms.Accepted, m => m.To == specialistPhone && m.Text == atRisk);
        Assert.Single(platform.Sms.Accepted, m => m.To == landLeaderPhone && m.Text == overdue);
        Assert.DoesNotContain(platform.Sms.Accepted, m => m.To == communeLeaderPhone);
        Assert.Equal(0, await platform.CountAsync("notification",
            "SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND recipient_masked LIKE 'leaders of %'", code));
    }
}
