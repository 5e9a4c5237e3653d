using System.Diagnostics;
using MotCua.Tests.Support;

namespace MotCua.Reliability;

/// <summary>
/// The run's own RabbitMQ and PostgreSQL, restarted through the same deploy/local/infra.sh that chaos.sh started them
/// with (it exports INFRA_DIR, the ports and the node name): a restart here is the one an operator would do.
/// </summary>
public static class LocalInfrastructure
{
    public static Task RestartRabbitMqAsync() => RunAsync("stop_rabbitmq && start_rabbitmq");

    public static Task RestartPostgresAsync() => RunAsync("stop_postgres && start_postgres");

    private static async Task RunAsync(string commands)
    {
        if (Environment.GetEnvironmentVariable("INFRA_DIR") is not { Length: > 0 })
            throw new InvalidOperationException("INFRA_DIR is not set: run the reliability suite through deploy/local/chaos.sh.");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ServiceProcess.RepositoryRoot };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"set -e; source deploy/local/infra.sh; {commands}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{commands}' failed: {await output}{await errors}");
    }
}
