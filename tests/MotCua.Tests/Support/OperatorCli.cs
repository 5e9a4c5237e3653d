using System.Diagnostics;

namespace MotCua.Tests.Support;

/// <summary>The operator tool <c>motcua</c> run as an operator runs it: its own process, told where the platform is by environment.</summary>
public static class OperatorCli
{
    public static async Task<(int Exit, string Output)> RunAsync(PlatformFixture platform, params string[] arguments)
    {
        var dll = Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "cli", "bin", ServiceProcess.BuildConfiguration, "net10.0", "motcua.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution first: {dll} is missing.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No terminal to answer at: a destructive command must be told --yes or refuse.
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MOTCUA_GATEWAY"] = platform.Gateway.ToString();
        start.Environment["MOTCUA_ADMIN_PASSWORD"] = PlatformFixture.AdminPassword;
        start.Environment["MOTCUA_POSTGRES"] = TestInfrastructure.PostgresServer;
        start.Environment["MOTCUA_DATABASE_PREFIX"] = platform.DatabasePrefix;
        start.Environment["MOTCUA_RABBITMQ"] = platform.AmqpUri;
        start.Environment["MOTCUA_RABBITMQ_API"] = TestInfrastructure.RabbitMqApi;
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience.Of(TimeSpan.FromMinutes(5)));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
