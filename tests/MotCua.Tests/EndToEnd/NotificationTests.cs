using System.Net;
using System.Text.Json;
using MotCua.Contracts;
using MotCua.Tests.Support;
using RabbitMQ.Client;

namespace MotCua.Tests.EndToEnd;

/// <summary>Citizens told over SMS and e-mail, checked on what reached the fake SMS gateway and the SMTP sink.</summary>
[Collection(PlatformCollection.Name)]
public sealed class NotificationTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(20);

    private async Task<JsonElement> IntakeAsync(string phone, string? email = null)
    {
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", await platform.TokenAsync(), new
        {
            procedureCode = "1.000894.000.00.00.H57", unitId = await platform.NewCommuneAsync(), channel = "counter",
            applicant = new { fullName = "Võ Thị Sáu", idNumber = "075199004455", phone, email },
        }));
        Assert.True(status == HttpStatusCode.Created, dossier.ToString());
        return dossier;
    }

    /// <summary>
    /// A number the fake gateway accepts at once: ending in 1, it never ends in a suffix that injects failures (444, 777, 888,
    /// 999), which a number drawn whole at random did about one time in 250.
    /// </summary>
    private static string GoodNumber() => "0977" + Random.Shared.Next(0, 100000).ToString("D5") + "1";

    private async Task<JsonElement[]> DeliveriesAsync(string code)
    {
        var (status, page) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/notifications?dossierCode={code}", await platform.TokenAsync()));
        return status == HttpStatusCode.OK ? [.. page.GetProperty("items").EnumerateArray()] : [];
    }

    [Fact]
    public async Task A_received_dossier_is_told_once_by_sms_without_diacritics_and_by_e_mail_with_them()
    {
        var phone = GoodNumber();
        var dossier = await IntakeAsync(phone, "sau.vo@example.vn");
        var code = dossier.GetProperty("code").GetString()!;
        var due = dossier.GetProperty("dueAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7));

        await Eventually.True(() => Task.FromResult(platform.Sms.Accepted.Any(m => m.To == phone)), Seconds, "the SMS reaches the gateway");
        var sms = platform.Sms.Accepted.First(m => m.To == phone);
        Assert.Equal($"Ho so {code} da duoc tiep nhan. Ngay hen tra: {due:dd/MM/yyyy}. Tra cuu: {code}", sms.Text);
        Assert.Equal("Bearer e2e-sms-key", sms.Authorization);
        Assert.All(sms.Text, c => Assert.True(c < 128, $"'{c}' is not GSM-7"));

        var mail = (SmtpSink.Mail)(await Eventually.Get<object>(() => Task.FromResult<object?>(platform.Mail.Received.FirstOrDefault(m => m.To == "sau.vo@example.vn" && m.Subject.Contains(code))),
            Seconds, "the e-mail reaches the mail server")!);
        Assert.Equal($"Hồ sơ {code} đã được tiếp nhận", mail.Subject);
        Assert.True(mail.Body.Contains("Kính gửi Ông/Bà Võ Thị Sáu"), mail.Raw);
        Assert.Contains($"Ngày hẹn trả kết quả: {due:HH:mm dd/MM/yyyy}", mail.Body);

        await Eventually.True(async () => (await DeliveriesAsync(code)).Count(d => d.GetProperty("status").GetString() == "sent") == 2, Seconds, "both logged as sent");
        var log = await DeliveriesAsync(code);
        Assert.Equal(["email", "sms"], log.Select(d => d.GetProperty("channel").GetString()).Order());
        Assert.Contains(log, d => d.GetProperty("recipient").GetString() == phone[..4] + "***" + phone[^3..]);
        Assert.Equal(0, await platform.CountAsync("notification", "SELECT count(*) FROM deliveries WHERE dossier_code = $1 AND recipient IS NOT NULL", code));

        // The relay publishes the same event again (as after a crash before marking it sent): nothing is sent twice.
        var replayed = await platform.CountAsync("dossier",
            "UPDATE outbox SET sent_at = NULL WHERE message_type = 'MotCua.Contracts.DossierReceived' AND body->>'code' = $1 RETURNING 1", code);
        Assert.Equal(1, replayed);
        await Eventually.True(async () => await platform.CountAsync("dossier",
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND body->>'code' = $1", code) == 0, Seconds, "republished");
        var sentinel = await IntakeAsync(GoodNumber());
        await Eventually.True(async () => (await DeliveriesAsync(sentinel.GetProperty("code").GetString()!)).Length == 1, Seconds, "a later dossier is told");
        Assert.Single(platform.Sms.Accepted, m => m.To == phone);
        Assert.Equal(2, (await DeliveriesAsync(code)).Length);
    }

    [Fact]
    public async Task An_event_that_cannot_be_queued_holds_back_no_other_and_ends_among_the_dead_letters()
    {
        const string queue = "notification-dossier-received";
        var deadBefore = await platform.DeadLettersAsync(queue);
        var unit = await platform.NewCommuneAsync();
        DossierReceived Received(string? code) => new(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), code!, "1.001193.000.00.00.H57", unit,
            "counter", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(3), new ApplicantContact("Trần Văn Lành", "0912000222", null));
        var good = Received($"BATCH-{Guid.NewGuid():N}"[..22]);
        // Without a code the delivery row cannot be written; published together, the two are likely taken in one batch.
        await using var broker = await new ConnectionFactory { Uri = new Uri(platform.AmqpUri) }.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync();
        var envelope = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
        foreach (var message in new[] { Received(null), good })
            await channel.BasicPublishAsync("", queue, mandatory: true, envelope, JsonSerializer.SerializeToUtf8Bytes(new
            {
                messageId = message.EventId, messageType = new[] { "urn:message:MotCua.Contracts:DossierReceived" }, message, sentTime = DateTimeOffset.UtcNow,
            }, JsonSerializerOptions.Web));

        await Eventually.True(async () => (await DeliveriesAsync(good.Code)).Any(d => d.GetProperty("channel").GetString() == "sms"), Seconds,
            "the good event's text is queued while the other fails beside it");
        await Eventually.True(async () => await platform.DeadLettersAsync(queue) > deadBefore, TimeSpan.FromSeconds(60), "the event without a code is a dead letter");
        Assert.Single(await DeliveriesAsync(good.Code));
    }

    [Fact]
    public async Task A_gateway_that_fails_is_retried_from_the_log_and_one_that_keeps_failing_ends_in_a_recorded_failure()
    {
        var flaky = "0966" + Random.Shared.Next(100, 999).ToString("D3") + "888";
        var broken = "0966" + Random.Shared.Next(100, 999).ToString("D3") + "999";
        // One after the other: together their failures would open the SMS circuit and blur what each shows.
        var recovered = (await IntakeAsync(flaky)).GetProperty("code").GetString()!;

        // The text's own delivery: whatever else the dossier may be told (an at-risk reminder to its officials is a delivery
        // on the log channel) is not this test's business.
        async Task<JsonElement?> TextOf(string code) =>
            (await DeliveriesAsync(code)).Where(d => d.GetProperty("channel").GetString() == "sms").ToArray() is [var text] ? text : null;
        // Waits for the text to settle, sent or failed, so that a failure shows its attempts and last error (an open circuit,
        // the gateway's answer) instead of only a timeout.
        async Task<JsonElement> SettledAsync(string code, string what) => (JsonElement)await Eventually.Get<object>(async () =>
            await TextOf(code) is { } d && d.GetProperty("status").GetString() != "pending" ? d : null, Seconds, what);
        var delivery = await SettledAsync(recovered, "the text settles after a retry from the log");
        Assert.True(delivery.GetProperty("status").GetString() == "sent", $"sent after a retry from the log: {delivery}");
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.True(platform.Sms.CallsFor(flaky) >= 4, "the first attempt retried within its Polly pipeline before giving up");

        var failed = (await IntakeAsync(broken)).GetProperty("code").GetString()!;
        var failure = await SettledAsync(failed, "the text settles after every attempt");
        Assert.True(failure.GetProperty("status").GetString() == "failed", $"failed after every attempt: {failure}");
        Assert.Equal(3, failure.GetProperty("attempts").GetInt32());
        // The gateway's 500, or the circuit breaker it opened: either way the reason is recorded.
        Assert.Matches("500|circuit", failure.GetProperty("lastError").GetString());
        Assert.Equal(1, await platform.CountAsync("notification",
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.NotificationFailed' AND body->>'dossierCode' = $1", failed));
        Assert.DoesNotContain(platform.Sms.Accepted, m => m.To == broken);
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_in_time_and_a_mail_server_that_is_down_end_in_recorded_failures()
    {
        var slow = "0955" + Random.Shared.Next(100, 999).ToString("D3") + "777";
        var code = (await IntakeAsync(slow, "citizen@down.example")).GetProperty("code").GetString()!;
        await Eventually.True(async () => (await DeliveriesAsync(code)) is { Length: 2 } all && all.All(d => d.GetProperty("status").GetString() == "failed"),
            TimeSpan.FromSeconds(40), "both deliveries give up");
        var log = await DeliveriesAsync(code);
        Assert.Matches("timeout|timed out|circuit", log.Single(d => d.GetProperty("channel").GetString() == "sms").GetProperty("lastError").GetString()!.ToLowerInvariant());
        Assert.NotEmpty(log.Single(d => d.GetProperty("channel").GetString() == "email").GetProperty("lastError").GetString()!);
        Assert.Equal(2, await platform.CountAsync("notification",
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.NotificationFailed' AND body->>'dossierCode' = $1", code));
    }

    [Fact]
    public async Task A_permanent_refusal_by_the_mail_server_or_the_sms_provider_is_recorded_at_once_with_its_answer_and_not_retried()
    {
        // The SMS provider answers 400 for a number it does not serve; the mail server 550 for a mailbox that does not exist.
        var unserved = "0966" + Random.Shared.Next(100, 999).ToString("D3") + "444";
        var refusalsBefore = platform.Mail.Refusals;
        var code = (await IntakeAsync(unserved, SmtpSink.RefusedMailbox + "@example.vn")).GetProperty("code").GetString()!;

        await Eventually.True(async () => (await DeliveriesAsync(code)) is { Length: 2 } all && all.All(d => d.GetProperty("status").GetString() == "failed"),
            Seconds, "both deliveries recorded as failed");
        var log = await DeliveriesAsync(code);
        var email = log.Single(d => d.GetProperty("channel").GetString() == "email");
        var sms = log.Single(d => d.GetProperty("channel").GetString() == "sms");
        Assert.Equal(1, email.GetProperty("attempts").GetInt32());
        Assert.Equal(1, sms.GetProperty("attempts").GetInt32());
        Assert.Contains("550", email.GetProperty("lastError").GetString());
        Assert.Contains("400", sms.GetProperty("lastError").GetString());
        Assert.Contains("number not served", sms.GetProperty("lastError").GetString());
        // Asked once each: neither Polly's in-call retries nor the delivery log's schedule tried again.
        Assert.Equal(1, platform.Sms.CallsFor(unserved));
        Assert.Equal(refusalsBefore + 1, platform.Mail.Refusals);
        Assert.Equal(2, await platform.CountAsync("notification",
            "SELECT count(*) FROM outbox WHERE message_type = 'MotCua.Contracts.NotificationFailed' AND body->>'dossierCode' = $1", code));
    }

    [Fact]
    public async Task The_mail_server_is_logged_in_to_before_it_takes_a_message()
    {
        var code = (await IntakeAsync("0977" + Random.Shared.Next(100000, 999999).ToString("D6"), "login.check@example.vn")).GetProperty("code").GetString()!;
        var mail = (SmtpSink.Mail)(await Eventually.Get<object>(() => Task.FromResult<object?>(platform.Mail.Received.FirstOrDefault(m => m.To == "login.check@example.vn")),
            Seconds, "the e-mail reaches the mail server, which takes mail only after a log-in")!);
        Assert.Contains(code, mail.Subject);
    }

    [Fact]
    public async Task Templates_are_data_and_an_sms_template_must_fit_two_segments()
    {
        var admin = await platform.TokenAsync();
        var (found, templates) = await platform.SendAsync(platform.Request(HttpMethod.Get, "/api/notification-templates/apology-issued", admin));
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal(["email", "sms"], templates.EnumerateArray().Select(t => t.GetProperty("channel").GetString()));

        var (tooLong, problem) = await platform.SendAsync(platform.Request(HttpMethod.Put, "/api/notification-templates/apology-issued", admin,
            new { channel = "sms", body = string.Concat(Enumerable.Repeat("Xin lỗi về hồ sơ {code}, lý do {reason}. ", 6)) }));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Contains("segments", problem.GetProperty("errors").GetProperty("body")[0].GetString());
        var (unknown, _) = await platform.SendAsync(platform.Request(HttpMethod.Put, "/api/notification-templates/apology-issued", admin,
            new { channel = "sms", body = "Ho so {code} {secret}" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown);

        var (saved, template) = await platform.SendAsync(platform.Request(HttpMethod.Put, "/api/notification-templates/test-notice", admin,
            new { channel = "sms", body = "Hồ sơ {code} đã có thông báo mới." }));
        Assert.Equal(HttpStatusCode.OK, saved);
        Assert.Equal("Ho so {code} da co thong bao moi.", template.GetProperty("body").GetString());
    }
}
