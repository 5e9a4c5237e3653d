using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Data.Time;

/// <summary>
/// The demo and test clock: real time shifted by an offset that only ever grows. Every service
/// holds the same offset (the gateway fans a move out to all of them), keeps it in its own database
/// so a restart does not send time backwards, and timers still run in real time.
/// </summary>
public sealed class SimulatedClock(NpgsqlDataSource dataSource) : TimeProvider, IStartupStep
{
    private long _offsetTicks;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Raised after every move, so time-driven work (the deadline sweeper) can run at once.</summary>
    public event Action<DateTimeOffset>? Moved;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    async Task IStartupStep.RunAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT offset_ticks FROM simulated_clock WHERE id = 1");
        if (await command.ExecuteScalarAsync(ct) is long ticks) Interlocked.Exchange(ref _offsetTicks, ticks);
    }

    /// <summary>Moves the offset forward to <paramref name="offset"/>; false when it would move time back.</summary>
    public async Task<bool> SetOffsetAsync(TimeSpan offset, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (offset < Offset) return false;
            await using var command = dataSource.CreateCommand("""
                INSERT INTO simulated_clock (id, offset_ticks) VALUES (1, $1)
                ON CONFLICT (id) DO UPDATE SET offset_ticks = GREATEST(simulated_clock.offset_ticks, EXCLUDED.offset_ticks)
                """);
            command.Parameters.AddWithValue(offset.Ticks);
            await command.ExecuteNonQueryAsync(ct);
            Interlocked.Exchange(ref _offsetTicks, offset.Ticks);
        }
        finally
        {
            _gate.Release();
        }
        Moved?.Invoke(GetUtcNow());
        return true;
    }
}
