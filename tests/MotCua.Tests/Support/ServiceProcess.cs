using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MotCua.Tests.Support;

/// <summary>One MotCua process started from its build output, its console captured to a log file.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(Process process, StreamWriter log, string logPath, Uri address)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        Address = address;
    }

    public Uri Address { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Ended on its own: it exited without the test killing it.</summary>
    public bool ExitedByItself => !_killed && _process.HasExited;

    private volatile bool _killed;

    /// <param name="project">The project folder under the repository root, e.g. <c>services/Dossier</c>.</param>
    /// <param name="port">The port to listen on: a restarted instance keeps its address; a free one when null.</param>
    public static ServiceProcess Start(string project, string logFolder, IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var assembly = "MotCua." + Path.GetFileName(project) + ".dll";
        if (project == "gateway") assembly = "MotCua.Gateway.dll";
        var dll = Path.Combine(RepositoryRoot, project, "bin", BuildConfiguration, "net10.0", assembly);
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution first: {dll} is missing.");

        port ??= FreePort();
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        Directory.CreateDirectory(logFolder);
        // Instances of one service, and an instance restarted, each keep a log of their own.
        var logPath = Path.Combine(logFolder, $"{Path.GetFileName(project).ToLowerInvariant()}-{port}.log");
        for (var restart = 2; File.Exists(logPath); restart++)
            logPath = Path.Combine(logFolder, $"{Path.GetFileName(project).ToLowerInvariant()}-{port}-{restart}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process, log, logPath, new Uri($"http://127.0.0.1:{port}/"));
    }

    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private bool _disposed;

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        _killed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(Patience.Of(TimeSpan.FromSeconds(10)));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _killed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(Patience.Of(TimeSpan.FromSeconds(10)));
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            if (log.BaseStream.CanWrite) log.WriteLine(line);
        }
    }

    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
