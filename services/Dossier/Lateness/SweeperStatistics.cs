namespace MotCua.Dossier.Lateness;

/// <summary>
/// The sweeper's recent batches, for operators and the deadline-storm benchmark:
/// <c>GET /api/admin/sweeper</c> (admin) gives counts and batch latencies of this instance.
/// </summary>
public sealed class SweeperStatistics
{
    private const int Kept = 4096;
    private readonly Queue<(int Dossiers, TimeSpan Took)> _batches = new();
    private long _dossiers;
    private long _batchCount;

    public sealed record Summary(long Batches, long Dossiers, double? BatchP50Ms, double? BatchP99Ms, double? BatchMaxMs, int Window);

    public void Record(int dossiers, TimeSpan took)
    {
        lock (_batches)
        {
            _batches.Enqueue((dossiers, took));
            if (_batches.Count > Kept) _batches.Dequeue();
            _dossiers += dossiers;
            _batchCount++;
        }
    }

    public Summary Summarize()
    {
        lock (_batches)
        {
            var times = _batches.Select(b => b.Took.TotalMilliseconds).Order().ToArray();
            double? At(double q) => times.Length == 0 ? null : times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
            return new Summary(_batchCount, _dossiers, At(0.5), At(0.99), times.Length == 0 ? null : times[^1], times.Length);
        }
    }

}
