using System.Collections.Concurrent;

namespace MotCua.Data.Messaging;

/// <summary>
/// Queues that belong to one running instance (a live feed's fan-out) rather than to the service: named after the
/// host and process, deleted with the instance, never quorum.
/// </summary>
public static class InstanceQueues
{
    private static readonly string Instance = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();
    private static readonly ConcurrentDictionary<string, bool> Names = new();

    public static string Name(string prefix)
    {
        var name = $"{prefix}-{Instance}";
        Names[name] = true;
        return name;
    }

    public static bool Owns(string queue) => Names.ContainsKey(queue);
}
