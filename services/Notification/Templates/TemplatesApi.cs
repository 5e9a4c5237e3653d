using MotCua.Contracts;
using MotCua.Data.Database;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Notification.Templates;

/// <summary>
/// <c>GET /api/notification-templates/{key}</c> and <c>PUT /api/notification-templates/{key}</c>
/// <c>{ channel, subject?, body }</c> (admin). An SMS template must stay within two segments once filled
/// with typical values, and is stored without diacritics.
/// </summary>
public static class TemplatesApi
{
    public sealed record TemplateRequest(string? Channel, string? Subject, string? Body);

    private static readonly string[] Channels = NotificationChannels.All;

    /// <summary>Typical values, long ones, to measure an SMS against its two segments.</summary>
    private static readonly Dictionary<string, string> Sample = new()
    {
        ["code"] = "000.00.06.H57-231027-0361", ["applicant"] = "Nguyễn Thị Minh Khai", ["procedure"] = "Cấp Giấy xác nhận tình trạng hôn nhân",
        ["receivedAt"] = "16:00 27/10/2023", ["dueAt"] = "16:00 30/10/2023", ["dueDate"] = "30/10/2023",
        ["reason"] = "Thiếu bản chính giấy chứng sinh", ["number"] = "2023-0012", ["newDueAt"] = "16:00 06/11/2023",
        ["newDueDate"] = "06/11/2023", ["step"] = "Thẩm định, xác minh", ["stepDueAt"] = "10:00 30/10/2023",
    };

    public static void MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/notification-templates/{key}", async (string key, TemplateStore store, CancellationToken ct) =>
        {
            var found = (await store.AllAsync(ct)).Values.Where(t => t.Key == key).OrderBy(t => t.Channel).ToList();
            return found.Count > 0 ? Results.Ok(found) : Problems.NotFound($"No template {key}.");
        });
        app.MapPut("/api/notification-templates/{key}", Put).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Put(string key, TemplateRequest? request, NpgsqlDataSource dataSource, TemplateStore store, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (key.Length is 0 or > 60 || !key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            errors.Add("key", "Lower-case letters, digits and '-', at most 60.");
        if (request?.Channel is null || !Channels.Contains(request.Channel)) errors.Add("channel", "sms, email or log.");
        errors.Require("body", request?.Body, 4000);
        if (request?.Subject is { Length: > 300 }) errors.Add("subject", "At most 300 characters.");
        if (errors.Any) return errors.ToResult();

        var unknown = Template.Placeholders(request!.Body! + request.Subject).Where(p => !Sample.ContainsKey(p)).Distinct().ToList();
        if (unknown.Count > 0)
            errors.Add("body", $"Unknown placeholders: {string.Join(", ", unknown)}. Known: {string.Join(", ", Sample.Keys)}.");
        var template = new Template(key, request.Channel!, request.Subject, request.Channel == NotificationChannels.Sms ? Template.Unaccented(request.Body!) : request.Body!);
        if (template.Channel == NotificationChannels.Sms)
        {
            var text = template.Render(Sample).Body;
            if (Template.SmsSegments(text) > Template.MaxSmsSegments)
                errors.Add("body", $"Filled with typical values the SMS is {text.Length} characters, {Template.SmsSegments(text)} segments; at most {Template.MaxSmsSegments}.");
            if (text.Any(c => c > 127))
                errors.Add("body", "An SMS takes only unaccented Latin letters, digits and punctuation.");
        }
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(null, """
            INSERT INTO templates (key, channel, subject, body) VALUES ($1, $2, $3, $4)
            ON CONFLICT (key, channel) DO UPDATE SET subject = $3, body = $4
            """, ct, template.Key, template.Channel, template.Subject, template.Body);
        store.Invalidate();
        return Results.Ok(template);
    }
}
