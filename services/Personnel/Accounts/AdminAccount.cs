namespace MotCua.Personnel.Accounts;

/// <summary>
/// A fresh installation has one <c>admin</c> account (province IT), its password taken from
/// <c>MOTCUA_ADMIN_PASSWORD</c> the first time the service starts. Changing the variable later does not
/// change an existing password.
/// </summary>
public sealed partial class AdminAccount(
    NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider time, ILogger<AdminAccount> logger) : IStartupStep
{
    public const string Username = "admin";

    public async Task RunAsync(CancellationToken ct)
    {
        var password = configuration["MOTCUA_ADMIN_PASSWORD"];
        if (string.IsNullOrEmpty(password) || password.Length < 8)
            throw new InvalidOperationException("MOTCUA_ADMIN_PASSWORD must be set to at least 8 characters.");

        await using var insert = dataSource.CreateCommand("""
            INSERT INTO accounts (id, username, password_hash, roles, created_at)
            VALUES ($1, $2, $3, ARRAY['admin'], $4) ON CONFLICT DO NOTHING
            """);
        insert.Parameters.AddWithValue(Guid.NewGuid());
        insert.Parameters.AddWithValue(Username);
        insert.Parameters.AddWithValue(Credentials.Hash(Username, password));
        insert.Parameters.AddWithValue(time.GetUtcNow().UtcDateTime);
        if (await insert.ExecuteNonQueryAsync(ct) == 1) LogCreated(logger);
    }

    [LoggerMessage(LogLevel.Information, "Created the admin account from MOTCUA_ADMIN_PASSWORD")]
    private static partial void LogCreated(ILogger logger);
}
