using MotCua.Contracts;

namespace MotCua.Personnel.Accounts;

/// <summary>
/// What follows every change of who an account may be (disabled, transferred, other roles, a new password): its access
/// version rises, its refresh tokens go, and <see cref="AccessVersionRaised"/> tells the services to refuse the tokens
/// issued before, all in the transaction that made the change.
/// </summary>
public static class AccessChange
{
    public static Task RaiseForOfficialsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] officialIds, TimeProvider time, CancellationToken ct) =>
        RaiseAsync(connection, tx, "official_id = ANY($1)", officialIds, time, ct);

    public static Task RaiseForAccountAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid accountId, TimeProvider time, CancellationToken ct) =>
        RaiseAsync(connection, tx, "id = $1", accountId, time, ct);

    private static async Task RaiseAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string which, object key, TimeProvider time, CancellationToken ct)
    {
        var raised = await connection.ListAsync(tx, $"""
            UPDATE accounts SET access_version = access_version + 1 WHERE {which}
            RETURNING id, coalesce(official_id, id), access_version
            """, r => (Account: r.GetGuid(0), Subject: r.GetGuid(1), Version: r.GetInt32(2)), ct, key);
        if (raised.Count == 0) return;
        await connection.ExecuteAsync(tx, "DELETE FROM refresh_tokens WHERE account_id = ANY($1)", ct, raised.Select(a => a.Account).ToArray());
        foreach (var account in raised)
            await Outbox.EnqueueAsync(connection, tx,
                new AccessVersionRaised(Guid.NewGuid(), time.GetUtcNow(), account.Subject, account.Version), ct);
    }
}

/// <summary>Personnel reads the versions from the accounts themselves.</summary>
public sealed class AccountAccessVersions(NpgsqlDataSource dataSource) : IAccessVersionSource
{
    public async Task<int?> CurrentAsync(Guid subject, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ScalarAsync<int?>(null,
            "SELECT access_version FROM accounts WHERE official_id = $1 OR (official_id IS NULL AND id = $1)", ct, subject);
    }
}
