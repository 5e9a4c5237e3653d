using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MotCua.Hosting.Security;

/// <summary>
/// Where a service reads the access version a token's subject holds now: Personnel from its accounts, the other services
/// from their directory copy. Null when the subject's access never changed.
/// </summary>
public interface IAccessVersionSource
{
    Task<int?> CurrentAsync(Guid subject, CancellationToken ct);
}

/// <summary>
/// Refuses a token issued before its official was disabled, transferred, given other roles or changed password: the
/// token's <c>av</c> claim is lower than the version the subject holds now. Versions are kept for a few seconds per
/// subject, well inside the 30 s the contract allows, so a busy counter does not cost a query a request.
/// </summary>
public sealed class AccessVersionCheck(IAccessVersionSource source, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, (int? Version, DateTimeOffset ReadAt)> _known = new();

    public async Task<bool> StandsAsync(Guid subject, int tokenVersion, CancellationToken ct)
    {
        // Security time, not domain time: the real clock even when the platform runs on the simulated one.
        var now = time.GetUtcNow();
        if (!_known.TryGetValue(subject, out var known) || now - known.ReadAt > Freshness)
        {
            known = (await source.CurrentAsync(subject, ct), now);
            _known[subject] = known;
        }
        return known.Version is not { } current || tokenVersion >= current;
    }

    /// <summary>
    /// Whether a token checked at the start of a long answer (a live stream) still stands: not expired on the security
    /// clock, and its access version still current.
    /// </summary>
    public async Task<bool> StillStandsAsync(System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        if (long.TryParse(user.FindFirst("exp")?.Value, out var exp) && DateTimeOffset.FromUnixTimeSeconds(exp) <= time.GetUtcNow())
            return false;
        return await StandsAsync(Caller.From(user).Id, VersionOf(user), ct);
    }

    /// <summary>The version a token was issued under. One from before access versions carries none: it had the first.</summary>
    public static int VersionOf(System.Security.Claims.ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(MotCuaClaims.AccessVersion)?.Value, out var version) ? version : 1;

    /// <summary>
    /// Checks every validated local token against the subject's version, when the service has a source. Not on paths
    /// anyone may call (health, the public look-up): they use no token, and a liveness probe must not need the database.
    /// </summary>
    internal static async Task OnTokenValidated(TokenValidatedContext context)
    {
        if (context.HttpContext.RequestServices.GetService<AccessVersionCheck>() is not { } check) return;
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null) return;
        var caller = Caller.From(context.Principal!);
        if (!await check.StandsAsync(caller.Id, VersionOf(context.Principal!), context.HttpContext.RequestAborted))
            context.Fail("The token was issued before the account's access changed.");
    }
}

public static class AccessVersionRegistration
{
    /// <summary>Tokens of the local issuer are checked against <typeparamref name="TSource"/>.</summary>
    public static IServiceCollection AddAccessVersions<TSource>(this IServiceCollection services)
        where TSource : class, IAccessVersionSource =>
        services.AddSingleton<IAccessVersionSource, TSource>()
            .AddSingleton(sp => new AccessVersionCheck(sp.GetRequiredService<IAccessVersionSource>(), TimeProvider.System));
}
