using MotCua.Contracts;
using MotCua.ServiceDefaults.Messaging;
using MotCua.ServiceDefaults.Security;
using MotCua.ServiceDefaults.Time;
using Npgsql;

namespace MotCua.Notification.Deliveries;

/// <summary>
/// Tells the citizen the dossier was received, with its appointment date. Until the SMS and
/// e-mail channels exist every message goes to the <c>log</c> channel, recorded like a real delivery.
/// </summary>
public sealed partial class DossierReceivedNotifier(
    NpgsqlDataSource dataSource, TimeProvider time, ILogger<DossierReceivedNotifier> logger)
    : InboxConsumer<DossierReceived>(dataSource, time)
{
    private const string Template = "dossier-received";

    protected override async Task HandleAsync(
        DossierReceived received, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var recipient = received.Applicant.Phone is { } phone ? Masking.Phone(phone)
            : received.Applicant.Email is { } email ? Masking.Email(email)
            : "counter";
        var appointment = received.DueAt is { } due ? $" Ngay hen tra: {VietnamTime.ToLocal(due):dd/MM/yyyy}" : "";
        var body = received.Status == "registered"
            ? $"Ho so {received.Code} da duoc dang ky truc tuyen, dang cho tiep nhan."
            : $"Ho so {received.Code} da duoc tiep nhan.{appointment}";
        var now = Time.GetUtcNow().UtcDateTime;

        await using var insert = new NpgsqlCommand("""
            INSERT INTO deliveries (id, event_id, dossier_code, unit_id, channel, recipient_masked, template, body, status, attempts, created_at, sent_at)
            VALUES ($1, $2, $3, $4, 'log', $5, $6, $7, 'sent', 1, $8, $8)
            ON CONFLICT (event_id, recipient_masked, channel) DO NOTHING
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = Guid.NewGuid() },
                new() { Value = received.EventId },
                new() { Value = received.Code },
                new() { Value = received.UnitId },
                new() { Value = recipient },
                new() { Value = Template },
                new() { Value = body },
                new() { Value = now },
            },
        };
        await insert.ExecuteNonQueryAsync(ct);
        LogDelivered(logger, received.Code, recipient, body);
    }

    [LoggerMessage(LogLevel.Information, "log channel: dossier {Code} to {Recipient}: {Body}")]
    private static partial void LogDelivered(ILogger logger, string code, string recipient, string body);
}
