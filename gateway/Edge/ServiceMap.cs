namespace MotCua.Gateway.Edge;

/// <summary>
/// Where each service listens: <c>Services:Dossier</c> and the like, a comma-separated list when a
/// service runs several instances.
/// </summary>
public sealed class ServiceMap
{
    public static readonly string[] Names = ["dossier", "personnel", "evaluation", "notification"];

    public ServiceMap(IConfiguration configuration) =>
        Destinations = Names.ToDictionary(name => name, name =>
            (configuration[$"Services:{name}"] ?? throw new InvalidOperationException(
                    $"Services:{name} is not set (environment: Services__{name}=http://host:port)."))
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(address => new Uri(address))
                .ToArray());

    public IReadOnlyDictionary<string, Uri[]> Destinations { get; }

    public IEnumerable<Uri> All => Destinations.Values.SelectMany(d => d);
}
