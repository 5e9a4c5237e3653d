using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Notification.Templates;

/// <summary>Templates from the database, kept for a short while (an edit on another instance shows within a minute).</summary>
public sealed class TemplateStore(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    private sealed record Snapshot(IReadOnlyDictionary<(string, string), Template> All, DateTimeOffset LoadedAt);

    private volatile Snapshot? _cached;

    public async Task<Template?> FindAsync(string key, string channel, CancellationToken ct) =>
        (await AllAsync(ct)).GetValueOrDefault((key, channel));

    public async Task<IReadOnlyDictionary<(string, string), Template>> AllAsync(CancellationToken ct)
    {
        // Freshness of a cache is real time, whatever the platform's clock says.
        var now = TimeProvider.System.GetUtcNow();
        if (_cached is { } cached && now - cached.LoadedAt < Freshness) return cached.All;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var all = (await connection.ListAsync(null, "SELECT key, channel, subject, body FROM templates",
            r => new Template(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetString(3)), ct))
            .ToDictionary(t => (t.Key, t.Channel));
        _cached = new Snapshot(all, now);
        return all;
    }

    public void Invalidate() => _cached = null;
}
