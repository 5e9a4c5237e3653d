using MotCua.Notification.Templates;
using MotCua.ServiceDefaults.Database;
using MotCua.ServiceDefaults.Messaging;
using MotCua.ServiceDefaults.Security;
using Npgsql;

namespace MotCua.Notification.Deliveries;

/// <summary>
/// Turns an event into queued deliveries, in the inbox transaction: one row per (event, recipient, channel),
/// so a redelivered event queues nothing twice. The delivery worker sends them.
/// </summary>
public sealed class Notifier<TEvent>(NpgsqlDataSource dataSource, TimeProvider time, TemplateStore templates, QuietHours quiet)
    : InboxConsumer<TEvent>(dataSource, time)
    where TEvent : class
{
    protected override async Task HandleAsync(TEvent message, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (Notices.For(message) is not { } notice) return;
        var now = Time.GetUtcNow();
        var sendAt = notice.Urgent ? now : quiet.NextAllowed(now);
        foreach (var (channel, recipient, masked) in Recipients(notice))
        {
            if (await templates.FindAsync(notice.Template, channel, ct) is not { } template) continue;
            var (subject, body) = template.Render(notice.Values);
            await connection.ExecuteAsync(transaction, """
                INSERT INTO deliveries (id, event_id, dossier_code, unit_id, channel, recipient, recipient_masked, template, subject, body,
                    status, attempts, urgent, created_at, next_attempt_at, trace_parent)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', 0, $11, $12, $13, $14)
                ON CONFLICT (event_id, recipient_masked, channel) DO NOTHING
                """, ct, Guid.NewGuid(), notice.EventId, notice.DossierCode, notice.UnitId, channel, recipient, masked, notice.Template,
                subject, body, notice.Urgent, now, sendAt, (object?)System.Diagnostics.Activity.Current?.Id ?? DBNull.Value);
        }
    }

    private static IEnumerable<(string Channel, string Recipient, string Masked)> Recipients(Notice notice)
    {
        if (notice.Citizen?.Phone is { } phone) yield return ("sms", phone, Masking.Phone(phone));
        if (notice.Citizen?.Email is { } email) yield return ("email", email, Masking.Email(email));
        if (notice.Officials is { } officials) yield return ("log", officials, officials);
    }
}

public static class NotifierRegistration
{
    /// <summary>One queue per event kind, named for it, so each is watched and dead-lettered on its own.</summary>
    public static void AddNotifier<TEvent>(this MassTransit.IBusRegistrationConfigurator bus) where TEvent : class =>
        bus.AddConsumer<Notifier<TEvent>>().Endpoint(endpoint =>
            endpoint.Name = "notification-" + MassTransit.KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TEvent).Name));
}
