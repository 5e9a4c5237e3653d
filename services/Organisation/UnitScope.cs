using Microsoft.AspNetCore.Http;
using MotCua.Data.Database;
using MotCua.Hosting.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MotCua.Organisation;

/// <summary>The table a service keeps its unit tree in (<c>unit_directory</c>; Personnel's own <c>units</c>).</summary>
public sealed record UnitScopeSource(string Table);

public static class UnitScopeRegistration
{
    /// <summary>Unit scoping over the unit tree kept in <paramref name="table"/>.</summary>
    public static IServiceCollection AddUnitScope(this IServiceCollection services, string table) =>
        services.AddSingleton(new UnitScopeSource(table)).AddSingleton<UnitScope>();
}

/// <summary>
/// Unit scoping: a caller sees and touches only their unit and what lies under it (children, and units
/// merged into any of those); an admin sees everything. Out of scope answers as if it did not exist (404).
/// </summary>
public sealed class UnitScope(NpgsqlDataSource dataSource, UnitScopeSource source)
{
    /// <summary>
    /// The one definition of a subtree: a CTE <c>subtree</c> of the unit <c>$1</c> and everything under it in
    /// <paramref name="table"/>, following children and units merged into it, so a merged unit's history is
    /// reached through its successor. The query that uses it follows.
    /// </summary>
    public static string SubtreeCte(string table) => $"""
        WITH RECURSIVE subtree AS (
            SELECT id FROM {table} WHERE id = $1
            UNION
            SELECT u.id FROM {table} u JOIN subtree s ON u.parent_id = s.id OR u.merged_into = s.id
        )

        """;

    private string Subtree => SubtreeCte(source.Table);

    public async Task<bool> CoversAsync(Caller caller, Guid unitId, CancellationToken ct)
    {
        if (caller.IsAdmin) return true;
        if (caller.UnitId is not { } root) return false;
        if (root == unitId) return true;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ScalarAsync<bool>(null, Subtree + "SELECT EXISTS (SELECT 1 FROM subtree WHERE id = $2)", ct, root, unitId);
    }

    /// <summary>Whether the caller's scope reaches any of <paramref name="units"/> (a liên thông dossier's units).</summary>
    public async Task<bool> CoversAnyAsync(Caller caller, IReadOnlyCollection<Guid> units, CancellationToken ct)
    {
        if (caller.IsAdmin) return true;
        if (caller.UnitId is not { } root) return false;
        if (units.Contains(root)) return true;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ScalarAsync<bool>(null, Subtree + "SELECT EXISTS (SELECT 1 FROM subtree WHERE id = ANY($2))", ct, root, units.ToArray());
    }

    public Task<bool> CoversAsync(HttpContext context, Guid unitId) =>
        CoversAsync(Caller.From(context), unitId, context.RequestAborted);

    /// <summary>The units a caller may see, or null for all (admin); for filtering lists.</summary>
    public async Task<Guid[]?> UnitsAsync(Caller caller, CancellationToken ct) =>
        caller.IsAdmin ? null : caller.UnitId is { } root ? await SubtreeAsync(root, ct) : [];

    /// <summary>
    /// The units a list shows: the subtree of <paramref name="unitId"/> when given (not <c>Covered</c> when outside the
    /// caller's scope), otherwise everything the caller may see (null for all).
    /// </summary>
    public async Task<(bool Covered, Guid[]? Units)> ListedAsync(Caller caller, Guid? unitId, CancellationToken ct)
    {
        if (unitId is not { } unit) return (true, await UnitsAsync(caller, ct));
        return await CoversAsync(caller, unit, ct) ? (true, await SubtreeAsync(unit, ct)) : (false, null);
    }

    /// <summary>A unit and everything under it.</summary>
    public async Task<Guid[]> SubtreeAsync(Guid root, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var units = await connection.ListAsync(null, Subtree + "SELECT id FROM subtree", r => r.GetGuid(0), ct, root);
        return units.Count == 0 ? [root] : [.. units];
    }
}
