using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace MotCua.Tests.Support;

/// <summary>
/// The real platform for end-to-end tests: the four services and the gateway as child processes
/// from their build output, on the test run's RabbitMQ and PostgreSQL, with fresh databases and the
/// simulated clock. Started once per test collection.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public const string AdminPassword = "e2e-admin-password";

    private static readonly string[] ServiceNames = ["notification", "evaluation", "personnel", "dossier"];

    private readonly List<Process> _processes = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _logs;

    public PlatformFixture()
    {
        _logs = Path.Combine(RepositoryRoot, ".local", "test", "logs", _run);
        Directory.CreateDirectory(_logs);
    }

    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public Uri Gateway { get; private set; } = null!;

    public Dictionary<string, Uri> Services { get; } = [];

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        foreach (var name in ServiceNames)
        {
            var port = FreePort();
            Services[name] = new Uri($"http://127.0.0.1:{port}/");
            var project = char.ToUpperInvariant(name[0]) + name[1..];
            Start(name, Path.Combine("services", project), $"MotCua.{project}.dll", port, new()
            {
                ["ConnectionStrings__Database"] =
                    new Npgsql.NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = $"e2e_{_run}_{name}" }.ConnectionString,
                ["RabbitMq__Uri"] = TestInfrastructure.AmqpUri,
                ["MOTCUA_ADMIN_PASSWORD"] = AdminPassword,
            });
        }
        var gatewayPort = FreePort();
        Gateway = new Uri($"http://127.0.0.1:{gatewayPort}/");
        Start("gateway", "gateway", "MotCua.Gateway.dll", gatewayPort,
            Services.ToDictionary(s => $"Services__{s.Key}", s => s.Value.ToString()));

        await Eventually.True(async () =>
        {
            foreach (var process in _processes.Where(p => p.HasExited))
                throw new InvalidOperationException($"{process.StartInfo.Arguments} exited; see {_logs}");
            using var response = await Client.GetAsync(new Uri(Gateway, "/health/ready"));
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(120), $"the gateway reports ready (logs in {_logs})");
    }

    public async Task<string> TokenAsync(string username = "admin", string password = AdminPassword)
    {
        using var response = await Client.PostAsJsonAsync(new Uri(Gateway, "/api/auth/token"), new { username, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null, Uri? baseUri = null)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri ?? Gateway, path));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is string json) request.Content = new StringContent(json, new MediaTypeHeaderValue("application/json"));
        else if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await Client.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
        }
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
        Client.Dispose();
        return Task.CompletedTask;
    }

    private void Start(string name, string folder, string assembly, int port, Dictionary<string, string> environment)
    {
        var dll = Path.Combine(RepositoryRoot, folder, "bin", BuildConfiguration, "net10.0", assembly);
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution first: {dll} is missing.");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["Jwt__SigningKey"] = SigningKey;
        start.Environment["MOTCUA_CLOCK"] = "simulated";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Outbox__PollInterval"] = "00:00:00.500";

        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(_logs, name + ".log")) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
