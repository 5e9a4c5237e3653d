using MotCua.ServiceDefaults.Http;
using Npgsql;

namespace MotCua.Dossier.Dossiers;

/// <summary><c>GET /api/dossiers/{code}</c>.</summary>
public static class Lookup
{
    public static void MapDossierLookup(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/dossiers/{code}", async (string code, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
            return dossier is null ? Problems.NotFound($"No dossier {code}.") : Results.Ok(dossier);
        });
}
