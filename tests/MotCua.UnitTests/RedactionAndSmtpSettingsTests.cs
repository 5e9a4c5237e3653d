using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MotCua.Hosting;
using MotCua.Notification.Channels;

namespace MotCua.UnitTests;

public sealed class RedactionAndSmtpSettingsTests
{
    [Theory]
    [InlineData("/api/public/dossiers/lookup?phone=0987654321&secret=Ab12Cd", "/api/public/dossiers/lookup?phone=***&secret=***")]
    [InlineData("phone=0987654321&page=2", "phone=***&page=***")]
    [InlineData("SMS to 0987654321 failed", "SMS to *** failed")]
    [InlineData("citizen 046190004321 (CCCD) and 123456789 (CMND)", "citizen *** (CCCD) and *** (CMND)")]
    [InlineData("mail to lan.tran@example.vn bounced", "mail to *** bounced")]
    [InlineData("+84987654321 called", "*** called")]
    public void Personal_data_is_masked_in_urls_and_log_lines(string text, string expected) =>
        Assert.Equal(expected, PersonalDataRedaction.Redact(text));

    [Theory]
    // What must survive: dossier codes, agency codes, trace ids, durations, ports.
    [InlineData("dossier 000.00.06.H57-270108-0001 received")]
    [InlineData("trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7")]
    [InlineData("POST http://127.0.0.1:5173/api/dossiers answered 201 in 35 ms")]
    [InlineData("unit 3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public void What_is_not_personal_is_left_as_it_is(string text) => Assert.Equal(text, PersonalDataRedaction.Redact(text));

    private static SmtpSettings Settings(params (string Key, string Value)[] values) => SmtpSettings.Of(new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void The_mail_server_is_reached_as_configured_and_the_older_enable_ssl_still_means_starttls()
    {
        var tls = Settings(("Host", "mail.hue.gov.vn"), ("Security", "tls"), ("User", "motcua"), ("Password", "s3cret"));
        Assert.Equal((SecureSocketOptions.SslOnConnect, 465, "motcua", "s3cret"), (tls.Security, tls.Port, tls.User, tls.Password));
        Assert.Equal((SecureSocketOptions.StartTls, 587), (Settings(("Host", "m"), ("Security", "StartTLS"), ("Port", "587")) is var s ? (s.Security, s.Port) : default));
        Assert.Equal(SecureSocketOptions.StartTls, Settings(("Host", "m"), ("EnableSsl", "true")).Security);
        Assert.Equal((SecureSocketOptions.None, 25), Settings(("Host", "m")) is var plain ? (plain.Security, plain.Port) : default);
        Assert.Throws<InvalidOperationException>(() => Settings(("Host", "m"), ("Security", "ssl3")));
    }
}

public sealed class EvaluationEventLogTests
{
    [Fact]
    public void Evaluation_logs_an_event_without_the_citizens_name_phone_or_e_mail_and_can_still_replay_it()
    {
        var received = new MotCua.Contracts.DossierReceived(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), "000.00.06.H57-261130-0001",
            "1.001193.000.00.00.H57", Guid.NewGuid(), "counter", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(3),
            new("Nguyễn Văn An", "0912345678", "an.nguyen@example.vn"));
        var logged = MotCua.Evaluation.Indicators.Outcomes.WithoutPersonalData(received);
        Assert.DoesNotContain("0912345678", logged);
        Assert.DoesNotContain("an.nguyen", logged);
        Assert.DoesNotContain("Nguy", logged);
        var replayed = System.Text.Json.JsonSerializer.Deserialize<MotCua.Contracts.DossierReceived>(logged, MotCua.Evaluation.Indicators.Outcomes.Json)!;
        Assert.Equal((received.Code, received.UnitId, received.DueAt), (replayed.Code, replayed.UnitId, replayed.DueAt));
    }
}
