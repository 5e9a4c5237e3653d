using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>Late dossiers on the simulated clock: at risk, overdue with the automatic apology, by hand, late again, and two sweepers at once.</summary>
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

    [Fact]
    public async Task A_dossier_becomes_at_risk_then_overdue_apologises_by_itself_with_a_letter_and_escalates_when_late_again()
    {
        var (unit, counter, _) = await StaffAsync();
        var dossier = await IntakeAsync(unit, counter, await ProcedureAsync(1));
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset();

        // Past the reception step's own deadline, with less than a working day left: the holder is warned, once.
        await MoveClockTo(dossier.GetProperty("steps")[0].GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1));
        await Eventually.True(async () => await Events("DossierAtRisk", code) == 1, Seconds, "at risk");
        Assert.Empty(await ApologiesAsync(code, counter));

        await MoveClockTo(due.AddMinutes(1));
        var apology = (await Eventually.Get<object>(async () => (await ApologiesAsync(code, counter)) is [var one] ? one : null,
            Seconds, "the automatic apology") as JsonElement?)!.Value;
        Assert.True(apology.GetProperty("automatic").GetBoolean());
        Assert.Equal("Tiếp nhận", apology.GetProperty("responsibleStep").GetString());
        Assert.Equal(unit, apology.GetProperty("responsibleUnitId").GetGuid());
        Assert.Equal(due, apology.GetProperty("previousDueAt").GetDateTimeOffset());
        var newDue = apology.GetProperty("newDueAt").GetDateTimeOffset();
        Assert.True(newDue > due);
        Assert.Equal(1, await Events("DossierOverdue", code));
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

        await MoveClockTo(newDue.AddMinutes(1));
        await Eventually.True(async () => await Events("DossierEscalated", code) == 1, Seconds, "escalated when late again");
        Assert.Single(await ApologiesAsync(code, counter));
        var (_, history) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/dossiers/{code}/history", counter));
        Assert.Equal(["receive", "overdue", "apologize", "escalate"], history.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task An_apology_by_hand_sets_the_one_new_date_and_the_sweeper_adds_no_second()
    {
        var (unit, counter, specialist) = await StaffAsync();
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
        // A date beyond the extension the procedure allows (31/12/9999 once stuck a dossier for good) is refused.
        foreach (var tooFar in new[] { due.AddDays(30), new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero) })
        {
            var (far, farProblem) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize",
                specialist, new { reason = "Chờ xác minh", newDueAt = tooFar }));
            Assert.Equal(HttpStatusCode.BadRequest, far);
            Assert.True(farProblem.GetProperty("errors").TryGetProperty("newDueAt", out _), farProblem.ToString());
        }
        var (ok, apologized) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", specialist,
            new { reason = "Phải xác minh tại địa phương khác", newDueAt = promised }));
        Assert.True(ok == HttpStatusCode.OK, apologized.ToString());
        Assert.Equal(promised, apologized.GetProperty("newDueAt").GetDateTimeOffset());
        var (again, problem) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/apologize", specialist,
            new { reason = "Lần nữa", newDueAt = promised.AddDays(3) }));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("only once", problem.GetProperty("detail").GetString());

        var late = await IntakeAsync(unit, counter, await ProcedureAsync(1));
        await MoveClockTo(late.GetProperty("dueAt").GetDateTimeOffset().AddMinutes(-30));
        var (tooLate, _) = await platform.SendAsync(platform.Request(HttpMethod.Post,
            $"/api/dossiers/{late.GetProperty("code").GetString()}/actions/apologize", specialist,
            new { reason = "Muộn", newDueAt = late.GetProperty("dueAt").GetDateTimeOffset().AddDays(5) }));
        Assert.Equal(HttpStatusCode.Conflict, tooLate);

        // Past the first due time the manual letter covers the delay: nothing new.
        await MoveClockTo((due > late.GetProperty("dueAt").GetDateTimeOffset() ? due : late.GetProperty("dueAt").GetDateTimeOffset()).AddHours(1));
        var apology = Assert.Single(await ApologiesAsync(code, counter));
        Assert.False(apology.GetProperty("automatic").GetBoolean());
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
