using Microsoft.Extensions.FileProviders;

namespace MotCua.Gateway.Edge;

/// <summary>
/// The dashboard (<c>/dashboard</c>) and the counter workbench (<c>/counter</c>): static pages built from <c>web/</c>
/// (<c>Gateway:WebRoot</c>, by default <c>web/dist</c> under the content root) that use only the public API. Served
/// before authentication: the pages are public, the data they fetch is not.
/// </summary>
public static class WebPages
{
    /// <summary>
    /// Scripts only from here. Inline styles are allowed because the control sheet and the apology letter, shown in a
    /// frame from blob URLs, inherit this policy and carry their print styles inline.
    /// </summary>
    private const string Policy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'";

    public static WebApplication UseWebPages(this WebApplication app)
    {
        var root = Path.GetFullPath(app.Configuration["Gateway:WebRoot"] ?? Path.Combine(app.Environment.ContentRootPath, "web", "dist"));
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("No web pages at {WebRoot}: build them with npm run build in web/", root);
            return app;
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            OnPrepareResponse = file =>
            {
                file.Context.Response.Headers.ContentSecurityPolicy = Policy;
                // Vite names assets by content hash: they never change under the same name.
                if (file.Context.Request.Path.StartsWithSegments("/assets"))
                    file.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            },
        });
        foreach (var page in new[] { "dashboard", "counter" })
            app.MapGet($"/{page}", (HttpContext http) =>
            {
                http.Response.Headers.ContentSecurityPolicy = Policy;
                http.Response.Headers.CacheControl = "no-cache";
                return Results.File(Path.Combine(root, page, "index.html"), "text/html; charset=utf-8");
            }).AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/dashboard")).AllowAnonymous();
        return app;
    }
}
