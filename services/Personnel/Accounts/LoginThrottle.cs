namespace MotCua.Personnel.Accounts;

/// <summary>
/// Slows failed log-ins by account name and source address together: three free attempts, then a wait that doubles
/// (1 s, 2 s, 4 s … at most 15 min) before the next one is heard. An outsider guessing from their address slows only
/// themselves; the official at their own counter logs in as usual. A name nobody has is counted exactly like one
/// that exists, so the answers tell no one which names are real. Counts are forgotten a day after the last failure.
/// </summary>
public static class LoginThrottle
{
    private const int FreeFailures = 3;
    private const int MaxDelaySeconds = 15 * 60;

    /// <summary>
    /// How long the pair must still wait, or null when it may try now. Attempts of one pair are taken one at a time (a
    /// lock held to the end of the caller's transaction), so twenty sent at once wait their turn and their delays rather
    /// than all passing this check together; whether the name exists changes nothing here.
    /// </summary>
    public static async Task<TimeSpan?> WaitAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string usernameKey, string source, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(hashtextextended($1 || '|' || $2, 0))", ct, usernameKey, source);
        var next = await connection.ScalarAsync<DateTime?>(tx,
            "SELECT next_allowed_at FROM login_throttle WHERE username_key = $1 AND source = $2 AND last_failed_at > $3 - interval '1 day'",
            ct, usernameKey, source, now);
        return next is { } at && at > now.UtcDateTime ? at - now.UtcDateTime : null;
    }

    public static async Task FailedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string usernameKey, string source, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, $"""
            INSERT INTO login_throttle AS t (username_key, source, failures, next_allowed_at, last_failed_at) VALUES ($1, $2, 1, $3, $3)
            ON CONFLICT (username_key, source) DO UPDATE SET
                failures = CASE WHEN t.last_failed_at > $3 - interval '1 day' THEN t.failures + 1 ELSE 1 END,
                next_allowed_at = $3 + make_interval(secs => CASE
                    WHEN t.last_failed_at <= $3 - interval '1 day' OR t.failures + 1 < {FreeFailures} THEN 0
                    ELSE least({MaxDelaySeconds}, power(2, least(t.failures + 1 - {FreeFailures}, 16))) END),
                last_failed_at = $3
            """, ct, usernameKey, source, now);
        await connection.ExecuteAsync(tx, "DELETE FROM login_throttle WHERE last_failed_at < $1 - interval '1 day'", ct, now);
    }

    public static Task SucceededAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string usernameKey, string source, CancellationToken ct) =>
        connection.ExecuteAsync(tx, "DELETE FROM login_throttle WHERE username_key = $1 AND source = $2", ct, usernameKey, source);
}
