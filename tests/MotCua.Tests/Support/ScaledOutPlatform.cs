namespace MotCua.Tests.Support;

/// <summary>
/// The platform as <c>deploy/local/up.sh --replicas 2</c> runs it: two instances of every service behind the gateway,
/// on quorum queues as in production, so relays, sweepers and consumers share the work.
/// </summary>
public sealed class ScaledOutPlatformFixture() : PlatformFixture(replicas: 2, quorumQueues: true, supervised: false);

[CollectionDefinition(Name)]
public sealed class ScaledOutPlatformCollection : ICollectionFixture<ScaledOutPlatformFixture>
{
    public const string Name = "scaled-out platform";
}
