using MotCua.Tests.Support;

namespace MotCua.Reliability;

/// <summary>
/// The platform as production runs it (quorum queues, a supervisor that starts a stopped service again), on the broker
/// and database chaos.sh started for this run alone.
/// </summary>
public sealed class ReliabilityPlatform() : PlatformFixture(1, true, true);
