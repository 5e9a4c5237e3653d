using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace MotCua.Hosting.Security;

/// <summary>Who is calling, from the token's claims: official id, name, roles and unit.</summary>
public sealed record Caller(Guid Id, string Name, IReadOnlySet<string> Roles, Guid? UnitId)
{
    public bool IsAdmin => Roles.Contains(MotCuaRoles.Admin);

    /// <summary>Dashboards' role: they see counts and states, never a citizen's contact details.</summary>
    public bool SeesPersonalData => Roles.Overlaps([MotCuaRoles.Admin, MotCuaRoles.Counter, MotCuaRoles.Specialist, MotCuaRoles.Leader]);

    public static Caller From(ClaimsPrincipal user) => new(
        Guid.TryParse(user.FindFirstValue(MotCuaClaims.OfficialId), out var id) ? id : Guid.Empty,
        user.FindFirstValue(MotCuaClaims.Name) ?? "",
        user.FindAll(MotCuaClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        Guid.TryParse(user.FindFirstValue(MotCuaClaims.UnitId), out var unit) ? unit : null);

    public static Caller From(HttpContext context) => From(context.User);
}

/// <summary>The roles of docs/api.md §2.</summary>
public static class MotCuaRoles
{
    public const string Admin = "admin";
    public const string Counter = "counter";
    public const string Specialist = "specialist";
    public const string Leader = "leader";
    public const string Viewer = "viewer";
}
