using MotCua.Contracts;
using MotCua.Data.Database;
using MotCua.Hosting.Security;
using Npgsql;

namespace MotCua.Notification.Deliveries;

/// <summary>One delivery's addressee: the channel, the clear recipient (kept until sent), its masked form, and the official if any.</summary>
public sealed record Recipient(string Channel, string Address, string Masked, Guid? OfficialId = null);

/// <summary>
/// Who of an <see cref="OfficialAudience"/> is told how, from this service's copy of the directory
/// (<c>official_directory</c>, <c>official_postings</c>, <c>official_contacts</c>): SMS to an official with a phone, e-mail to
/// one with an address, and the <c>log</c> channel, naming the official, for one with neither, so no notice is lost unseen.
/// </summary>
public static class OfficialRecipients
{
    private sealed record Known(Guid Id, bool Disabled, string? Phone, string? Email);

    public static async Task<List<Recipient>> ResolveAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, OfficialAudience audience, CancellationToken ct)
    {
        var named = audience.Named.ToArray();
        // The leaders are found from the unit's postings (a posting open on the day: none of the official's later than it).
        var known = await connection.ListAsync(tx, """
            WITH told AS (
                SELECT unnest($1::uuid[]) AS id
                UNION
                SELECT p.official_id FROM official_postings p
                WHERE p.unit_id = $2::uuid AND p.valid_from <= $3
                  AND NOT EXISTS (SELECT 1 FROM official_postings later WHERE later.official_id = p.official_id
                                  AND later.valid_from > p.valid_from AND later.valid_from <= $3)
            )
            SELECT o.id, o.disabled, c.phone, c.email
            FROM told JOIN official_directory o ON o.id = told.id LEFT JOIN official_contacts c ON c.official_id = o.id
            WHERE o.id = ANY($1) OR 'leader' = ANY(o.roles)
            ORDER BY o.id
            """, r => new Known(r.GetGuid(0), r.GetBoolean(1), r.NullableString(2), r.NullableString(3)), ct,
            named, audience.LeadersOf, audience.Day);
        // A named official the copy does not know yet (the registration still on its way) is told on the log all the same.
        var told = known.Where(o => !o.Disabled)
            .Concat(named.Where(id => known.All(o => o.Id != id)).Select(id => new Known(id, false, null, null)))
            .ToList();
        if (told.Count == 0)
            return [new(NotificationChannels.Log, $"leaders of {audience.LeadersOf}", $"leaders of {audience.LeadersOf}")];
        return [.. told.SelectMany(Reach)];
    }

    private static IEnumerable<Recipient> Reach(Known official)
    {
        if (official.Phone is { } phone) yield return new(NotificationChannels.Sms, phone, Masking.Phone(phone), official.Id);
        if (official.Email is { } email) yield return new(NotificationChannels.Email, email, Masking.Email(email), official.Id);
        if (official.Phone is null && official.Email is null)
            yield return new(NotificationChannels.Log, $"official {official.Id}", $"official {official.Id}", official.Id);
    }
}
