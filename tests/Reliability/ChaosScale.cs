namespace MotCua.Reliability;

/// <summary>
/// How big a run is: the short one inside deploy/local/test.sh (CI), the full one from deploy/local/chaos.sh
/// (MOTCUA_CHAOS=full). Both inject every fault, one per <c>FaultGap</c>, under load from start to end; the full one spaces them
/// wider, so it holds the load several minutes and takes many thousands of dossiers.
/// </summary>
public sealed record ChaosScale(string Name, int Communes, int Counters, TimeSpan FaultGap, double LifecycleShare, int Duplicates)
{
    public static ChaosScale Current => Environment.GetEnvironmentVariable("MOTCUA_CHAOS") switch
    {
        "full" => new("full", 6, 12, TimeSpan.FromSeconds(30), 0.25, 2_000),
        _ => new("short", 2, 6, TimeSpan.FromSeconds(9), 0.25, 200),
    };

    /// <summary>The seed of the run's random moments: given (MOTCUA_CHAOS_SEED) to replay a run, else new and printed.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("MOTCUA_CHAOS_SEED"), out var seed) ? seed : Random.Shared.Next();
}
