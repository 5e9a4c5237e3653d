namespace MotCua.Tests.Support;

/// <summary>A service process that ended by itself and was started again, as compose's <c>restart: unless-stopped</c> would.</summary>
/// <param name="Reason">The critical line the process logged before it stopped, if any.</param>
/// <param name="Ready">When the new process said it was ready; null if it did not within two minutes.</param>
public sealed record SelfRestart(string Service, DateTimeOffset Exited, string? Reason, Task<DateTimeOffset?> Ready);

public partial class PlatformFixture
{
    private readonly object _slots = new();
    private readonly CancellationTokenSource _supervising = new();
    private readonly List<SelfRestart> _selfRestarts = [];

    /// <summary>Every restart the supervisor made, from the moment it saw the process gone.</summary>
    public IReadOnlyList<SelfRestart> SelfRestarts
    {
        get { lock (_selfRestarts) return [.. _selfRestarts]; }
    }

    /// <summary>
    /// Watches the service processes and starts again, on its address, any that ended without the test killing it. The
    /// services stop themselves when they cannot go on (a stalled receive endpoint), trusting their supervisor to do this.
    /// </summary>
    private async Task SuperviseAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(_supervising.Token).ConfigureAwait(false))
        {
            List<(string Name, ServiceProcess Old, ServiceProcess New)> restarted = [];
            lock (_slots)
            {
                foreach (var (name, instances) in Instances)
                    for (var i = 0; i < instances.Count; i++)
                        if (instances[i].ExitedByItself)
                        {
                            var old = instances[i];
                            instances[i] = StartInstance(name, old.Address.Port);
                            restarted.Add((name, old, instances[i]));
                        }
            }
            foreach (var (name, old, started) in restarted)
            {
                var reason = old.ReadLog().Split('\n').SkipWhile(line => !line.StartsWith("crit:", StringComparison.Ordinal)).Skip(1)
                    .FirstOrDefault()?.Trim();
                lock (_selfRestarts) _selfRestarts.Add(new SelfRestart(name, DateTimeOffset.UtcNow, reason, ReadyAsync(name, started)));
            }
        }
    }

    private async Task<DateTimeOffset?> ReadyAsync(string name, ServiceProcess started)
    {
        try
        {
            await Eventually.True(async () =>
            {
                using var response = await Client.GetAsync(new Uri(started.Address, "/health/ready"));
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromMinutes(2), $"{name} ready after restarting itself (log {started.LogPath})");
            return DateTimeOffset.UtcNow;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
