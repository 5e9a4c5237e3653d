namespace MotCua.Reliability;

/// <summary>One fault as it happened: injected at, and the moment the platform said it was ready again.</summary>
public sealed record Fault(string Name, DateTimeOffset Injected, DateTimeOffset Recovered, string? Detail = null)
{
    /// <summary>Whether a moment falls while this fault kept a dependency down (a little slack after: readiness is polled).</summary>
    public bool Covers(DateTimeOffset at) => at >= Injected && at <= Recovered + TimeSpan.FromSeconds(10);
}
