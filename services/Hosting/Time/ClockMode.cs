using Microsoft.Extensions.Configuration;

namespace MotCua.Hosting.Time;

/// <summary>Whether the platform runs on the demo and test clock (<c>MOTCUA_CLOCK=simulated</c>) instead of real time.</summary>
public static class ClockMode
{
    public static bool IsSimulated(IConfiguration configuration) =>
        string.Equals(configuration["MOTCUA_CLOCK"], "simulated", StringComparison.OrdinalIgnoreCase);
}
