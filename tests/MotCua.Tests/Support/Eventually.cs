namespace MotCua.Tests.Support;

/// <summary>
/// Waits on a condition with a deadline instead of sleeping a fixed time. The budget a caller gives is scaled by
/// <see cref="Patience"/>, the one setting every wait takes its patience from.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan within, string what)
    {
        var patience = Patience.Of(within);
        var deadline = DateTime.UtcNow + patience;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value) return value;
            }
            catch (Exception e) when (e is HttpRequestException or Npgsql.NpgsqlException or TaskCanceledException)
            {
                last = e;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {patience}: {what}", last);
            // A pause between probes, not a wait for anything: the deadline above decides how long.
            await Task.Delay(100);
        }
    }

    public static Task True(Func<Task<bool>> probe, TimeSpan within, string what) =>
        Get<object>(async () => await probe() ? true : null, within, what);
}
