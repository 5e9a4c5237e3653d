namespace MotCua.Dossier.Papers.Signing;

/// <summary>Registers paper signing from the <c>Signing</c> section (see <see cref="SigningOptions"/> and docs/operations.md).</summary>
public static partial class SigningSetup
{
    public static IServiceCollection AddPaperSigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection("Signing"));
        services.AddSingleton<SignerDirectory>();
        var authority = configuration.GetSection("Signing:DevelopmentAuthority").Get<DevelopmentAuthorityOptions>();
        if (!string.IsNullOrWhiteSpace(authority?.Certificate))
            services.AddSingleton(provider => DevelopmentAuthority.Load(authority.Certificate, authority.Password, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new PaperSigning(
            provider.GetRequiredService<SignerDirectory>(), provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PaperSigning>>(), provider.GetService<DevelopmentAuthority>()));
        return services;
    }

    /// <summary>
    /// Maps the admin's list and says at start-up how papers will be signed; a development authority that cannot be read
    /// stops the start here rather than failing the first paper.
    /// </summary>
    public static void MapPaperSigning(this WebApplication app)
    {
        app.MapSignersApi();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PaperSigning));
        var folder = app.Services.GetRequiredService<SignerDirectory>().Folder;
        if (folder is null) LogNoDirectory(logger);
        else LogDirectory(logger, folder);
        if (app.Services.GetService<DevelopmentAuthority>() is { } authority) LogDevelopmentAuthority(logger, authority.Subject);
    }

    [LoggerMessage(LogLevel.Warning, "Signing:Directory is not set: every paper goes out unsigned, saying so on the page")]
    private static partial void LogNoDirectory(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Papers are signed with the units' PKCS#12 files in {Folder}")]
    private static partial void LogDirectory(ILogger logger, string folder);

    [LoggerMessage(LogLevel.Warning, "Development signing authority {Subject}: a unit without a certificate is issued one on its first paper. Never in production")]
    private static partial void LogDevelopmentAuthority(ILogger logger, string subject);
}
