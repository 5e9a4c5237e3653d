using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace MotCua.Tests.Support;

/// <summary>
/// The real platform for end-to-end tests: the four services and the gateway as child processes
/// from their build output, on the test run's RabbitMQ and PostgreSQL, with fresh databases, the
/// simulated clock and telemetry exported to a loopback OTLP sink. Started once per test collection.
/// </summary>
public partial class PlatformFixture : IAsyncLifetime
{
    private readonly int _replicas;
    private readonly bool _quorumQueues;
    private readonly bool _supervised;
    private Task _supervisor = Task.CompletedTask;

    public PlatformFixture() : this(1, false, false)
    {
    }

    /// <param name="replicas">How many instances of each service run behind the gateway.</param>
    /// <param name="quorumQueues">Whether the services declare quorum queues, as in production.</param>
    /// <param name="supervised">Whether a service process that stops by itself is started again, as in production.</param>
    protected PlatformFixture(int replicas, bool quorumQueues, bool supervised)
    {
        _replicas = replicas;
        _quorumQueues = quorumQueues;
        _supervised = supervised;
    }

    public const string AdminPassword = "e2e-admin-password";
    public const int PublicPermitLimit = 40;

    private (string Token, DateTime At)? _adminToken;

    // Consumers first: their queues must exist before anything publishes.
    private static readonly string[] ServiceNames = ["notification", "evaluation", "personnel", "dossier"];

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Every running instance of each service, in the order the gateway was told of them.</summary>
    public Dictionary<string, List<ServiceProcess>> Instances { get; } = [];

    /// <summary>Each service's database is this prefix and the service's name (what the operator CLI is told).</summary>
    public string DatabasePrefix => $"e2e_{_run}_";

    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public string Logs => Path.Combine(ServiceProcess.RepositoryRoot, ".local", "test", "logs", _run);

    public Uri Gateway { get; private set; } = null!;

    public Dictionary<string, Uri> Services { get; } = [];

    public OtlpSink Telemetry { get; private set; } = null!;

    // A request's patience, like every wait's, scales with MOTCUA_TEST_PATIENCE.
    public HttpClient Client { get; } = new() { Timeout = Patience.Of(TimeSpan.FromSeconds(30)) };

    public FakeSmsGateway Sms { get; private set; } = null!;

    public SmtpSink Mail { get; } = new();

    /// <summary>
    /// The platform's own virtual host on the run's broker: queues are named by service, not by run, so each platform
    /// gets a broker of its own and never meets another's queues or their leftover messages.
    /// </summary>
    public string AmqpUri { get; private set; } = null!;

    public string VirtualHost => "e2e-" + _run;

    public async Task InitializeAsync()
    {
        AmqpUri = await TestInfrastructure.NewVirtualHostAsync(VirtualHost);
        Telemetry = await OtlpSink.StartAsync();
        Sms = await FakeSmsGateway.StartAsync();
        foreach (var name in ServiceNames)
        {
            Instances[name] = [.. Enumerable.Range(0, _replicas).Select(_ => StartInstance(name))];
            Services[name] = Instances[name][0].Address;
        }
        var gateway = Instances.ToDictionary(s => $"Services__{s.Key}", s => string.Join(',', s.Value.Select(p => p.Address)));
        gateway["Gateway__WebRoot"] = Path.Combine(ServiceProcess.RepositoryRoot, "web", "dist");
        _gatewayEnvironment = gateway;
        _gateway = Start("gateway", gateway);
        Gateway = _gateway.Address;

        await Eventually.True(async () =>
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
                throw new InvalidOperationException($"{exited.LogPath} ended: {exited.ReadLog()}");
            using var response = await Client.GetAsync(new Uri(Gateway, "/health/ready"));
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(120), $"the gateway reports ready (logs in {Logs})");
        // MOTCUA_TEST_CLOCK_START: the run's chosen moment (a month's or year's last evening, a Friday night, Tết's eve).
        await StartClockAsync();
        if (_supervised) _supervisor = SuperviseAsync();
    }

    /// <summary>Kills every instance of every service (SIGKILL), leaving the gateway up, for work on their databases.</summary>
    public void StopServices()
    {
        foreach (var process in Instances.Values.SelectMany(i => i)) process.Kill();
    }

    /// <summary>Starts every service instance again on its old address, and waits until the gateway reports all ready.</summary>
    public async Task StartServicesAsync()
    {
        lock (_slots)
            foreach (var name in ServiceNames)
                Instances[name] = [.. Instances[name].Select(old => StartInstance(name, old.Address.Port))];
        await Eventually.True(async () =>
        {
            using var response = await Client.GetAsync(new Uri(Gateway, "/health/ready"));
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(120), $"the services are ready again (logs in {Logs})");
    }

    private Dictionary<string, string> _gatewayEnvironment = [];
    private ServiceProcess _gateway = null!;

    /// <summary>
    /// SIGKILL of the gateway or of a service's first instance, then the same process started again on its address;
    /// returns once it answers as live (ready is the dependencies' business, and they may be down too).
    /// </summary>
    public async Task KillAndRestartAsync(string name)
    {
        ServiceProcess restarted;
        if (name == "gateway")
        {
            _gateway.Kill();
            restarted = _gateway = Start("gateway", new(_gatewayEnvironment), _gateway.Address.Port);
        }
        else
        {
            lock (_slots)
            {
                Instances[name][0].Kill();
                restarted = Instances[name][0] = StartInstance(name, Instances[name][0].Address.Port);
            }
        }
        await Eventually.True(async () =>
        {
            if (restarted.HasExited) throw new InvalidOperationException($"{restarted.LogPath} ended: {restarted.ReadLog()}");
            using var response = await Client.GetAsync(new Uri(restarted.Address, "/health/live"));
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), $"{name} is live again (log {restarted.LogPath})");
    }

    /// <summary>
    /// Starts one more instance of a service on the same database and broker (a second Dossier for two
    /// sweepers racing); the caller disposes it, which kills it.
    /// </summary>
    public ServiceProcess StartInstance(string name, int? port = null) => Start("services/" + char.ToUpperInvariant(name[0]) + name[1..], new()
    {
        ["RabbitMq__QuorumQueues"] = _quorumQueues ? "true" : "false",
        ["ConnectionStrings__Database"] = DatabaseOf(name),
        ["RabbitMq__Uri"] = AmqpUri,
        ["MOTCUA_ADMIN_PASSWORD"] = AdminPassword,
        ["Outbox__PollInterval"] = "00:00:00.500",
        // Small batches, so two sweepers racing over one storm each get a share.
        ["Sweeper__BatchSize"] = "20",
        ["Notification__Sms__Url"] = Sms.Address.ToString(),
        ["Notification__Sms__ApiKey"] = "Bearer e2e-sms-key",
        ["Notification__Smtp__Host"] = "127.0.0.1",
        ["Notification__Smtp__Port"] = Mail.Port.ToString(),
        ["Notification__Smtp__From"] = "motcua@xa-phu-mau.gov.vn",
        ["Notification__Smtp__Security"] = "none",
        ["Notification__Smtp__User"] = SmtpSink.User,
        ["Notification__Smtp__Password"] = SmtpSink.Password,
        // Retries from the delivery log a second apart, three in all, so failures play out within a test.
        ["Notification__Delivery__RetrySchedule"] = "00:00:01,00:00:01",
        ["Notification__Delivery__Interval"] = "00:00:00.250",
        // A broken number in one test must not keep the SMS circuit open for the next.
        ["Notification__Channels__BreakSeconds"] = "1",
        ["Notification__Channels__TimeoutSeconds"] = "2",
        // Units' signing certificates: the run's own folder, empty until a test puts one there (PlatformFixture.Signing.cs).
        ["Signing__Directory"] = SignerFolder,
    }, port);

    /// <summary>The connection string of a service's database, for tests that look at what a service stored.</summary>
    public string DatabaseOf(string service) =>
        new Npgsql.NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = DatabasePrefix + service }.ConnectionString;

    public async Task<long> CountAsync(string service, string sql, params object[] args)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(DatabaseOf(service));
        await using var command = dataSource.CreateCommand(sql);
        foreach (var arg in args) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = arg });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private Guid? _province, _district;
    private readonly SemaphoreSlim _districtGate = new(1, 1);

    /// <summary>
    /// A fresh commune with its own agency code under a district shared by the run, known to the Dossier
    /// service's copy of the tree, so a test can take dossiers there without meeting another test's numbers.
    /// </summary>
    public async Task<Guid> NewCommuneAsync(Guid? district = null)
    {
        var admin = await TokenAsync();
        await _districtGate.WaitAsync();
        try
        {
            if (_district is null)
            {
                _province = await CreateUnitAsync(admin, "province", null);
                _district = await CreateUnitAsync(admin, "district", _province);
            }
        }
        finally
        {
            _districtGate.Release();
        }
        var commune = await CreateUnitAsync(admin, "commune", district ?? _district);
        await KnownEverywhereAsync("unit_directory", "id", commune);
        return commune;
    }

    /// <summary>The run's province (after a first <see cref="NewCommuneAsync"/>).</summary>
    public Guid Province => _province ?? throw new InvalidOperationException("Create a commune first.");

    /// <summary>
    /// A fresh agency (cơ quan: land office, tax, police, …) of <paramref name="kind"/> attached to <paramref name="parent"/>,
    /// serving <paramref name="serves"/> (none: its parent's subtree), with its own agency code, known to every service.
    /// </summary>
    public async Task<Guid> NewAgencyAsync(string kind, Guid parent, params Guid[] serves)
    {
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var (status, unit) = await SendAsync(Request(HttpMethod.Post, "/api/units", await TokenAsync(), new
        {
            code = "E2E-" + tag, name = $"Cơ quan {kind} {tag}", type = "agency", agencyKind = kind, parentId = parent, serves,
            agencyCode = $"{tag[..3]}.{tag[3..5]}.{tag[5..8]}.H57",
        }));
        if (status != HttpStatusCode.Created) throw new InvalidOperationException($"Could not create an agency: {status} {unit}");
        var id = unit.GetProperty("id").GetGuid();
        await KnownEverywhereAsync("unit_directory", "id", id);
        return id;
    }

    /// <summary>A fresh district of the run's province, for tests that rank its communes.</summary>
    public async Task<Guid> NewDistrictAsync()
    {
        await NewCommuneAsync();
        var district = await CreateUnitAsync(await TokenAsync(), "district", _province);
        await KnownEverywhereAsync("unit_directory", "id", district);
        return district;
    }

    /// <summary>Waits until the services that check scope and assignment have the unit or official in their copy of the directory.</summary>
    private async Task KnownEverywhereAsync(string table, string column, Guid id)
    {
        foreach (var service in new[] { "dossier", "evaluation" })
            await Eventually.True(async () => await CountAsync(service, $"SELECT count(*) FROM {table} WHERE {column} = $1", id) >= 1,
                TimeSpan.FromSeconds(15), $"the {service} service knows {id}");
    }

    /// <summary>An official of a unit with one role and an account; returns the id and a token, once every service knows the official.</summary>
    public async Task<(Guid Id, string Token)> OfficialAsync(Guid unit, string role)
    {
        var (id, username, password) = await AccountAsync(unit, role);
        return (id, await TokenAsync(username, password));
    }

    /// <summary>An official of a unit with one role and an account to log in with, once every service knows the official.</summary>
    public async Task<(Guid Id, string Username, string Password)> AccountAsync(Guid unit, string role)
    {
        var username = $"{role}.{Guid.NewGuid():N}"[..24];
        var (status, body) = await SendAsync(Request(HttpMethod.Post, "/api/officials", await TokenAsync(), new
        {
            fullName = "Nguyễn Thị " + role, gender = "female", birthDate = "1990-01-01", ethnicity = "Kinh", category = "civil_servant",
            title = "Văn phòng - Thống kê", unitId = unit, roles = new[] { role },
            education = new { general = "upper_secondary", professional = "university", politicalTheory = "elementary", stateManagement = "none" },
            account = new { username, password = "mat-khau-an-toan" },
        }));
        if (status != HttpStatusCode.Created) throw new InvalidOperationException($"Could not register an official: {status} {body}");
        var id = body.GetProperty("id").GetGuid();
        await KnownEverywhereAsync("official_postings", "official_id", id);
        return (id, username, "mat-khau-an-toan");
    }

    /// <summary>
    /// A procedure of its own for a test: <paramref name="workingDays"/> of processing, the steps as (name, role, hours),
    /// and the extension an automatic apology grants; returns its code.
    /// </summary>
    public async Task<string> ProcedureAsync(string name, int workingDays, (string Name, string Role, int Hours)[] steps, int? extensionHours = null)
    {
        var code = "T." + Guid.NewGuid().ToString("N")[..10];
        var (status, body) = await SendAsync(Request(HttpMethod.Post, "/api/procedures", await TokenAsync(), new
        {
            code, name, field = "Hộ tịch", processingTime = new { value = workingDays, unit = "workingDays" }, extensionHours,
            steps = steps.Select(s => new { name = s.Name, role = s.Role, hours = s.Hours }),
        }));
        if (status != HttpStatusCode.Created) throw new InvalidOperationException($"Could not register a procedure: {status} {body}");
        return code;
    }

    /// <summary>The usual one-stop steps: reception, appraisal, approval and return, with the hours given.</summary>
    public static (string Name, string Role, int Hours)[] OneStopSteps(int reception, int appraisal, int approval, int handOver) =>
        [("Tiếp nhận", "counter", reception), ("Thẩm định", "specialist", appraisal), ("Phê duyệt", "leader", approval), ("Trả kết quả", "counter", handOver)];

    private async Task<Guid> CreateUnitAsync(string admin, string type, Guid? parentId)
    {
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var (status, unit) = await SendAsync(Request(HttpMethod.Post, "/api/units", admin, new
        {
            code = "E2E-" + tag, name = $"Đơn vị {tag}", type, parentId,
            agencyCode = type == "commune" ? $"000.{tag[..2]}.{tag[2..4]}.{tag[4..8]}" : null,
        }));
        if (status != HttpStatusCode.Created) throw new InvalidOperationException($"Could not create a unit: {status} {unit}");
        return unit.GetProperty("id").GetGuid();
    }

    /// <summary>Today in Asia/Ho_Chi_Minh on the platform's (simulated) clock, which other tests may have moved.</summary>
    public async Task<DateOnly> TodayAsync()
    {
        var (_, clock) = await SendAsync(Request(HttpMethod.Get, "/api/admin/clock", await TokenAsync()));
        return DateOnly.FromDateTime(clock.GetProperty("now").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7)).DateTime);
    }

    private ServiceProcess Start(string project, Dictionary<string, string> environment, int? port = null)
    {
        environment["Jwt__SigningKey"] = SigningKey;
        // Logins are many here; the public look-up keeps a limit a test can reach. The gateway and the services behind
        // it apply the same limits.
        environment.TryAdd("RateLimits__token__PermitLimit", "1000");
        environment.TryAdd("RateLimits__public__PermitLimit", PublicPermitLimit.ToString());
        environment["MOTCUA_CLOCK"] = "simulated";
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Address.ToString().TrimEnd('/');
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "500";
        environment["OTEL_BLRP_SCHEDULE_DELAY"] = "500";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "2000";
        var process = ServiceProcess.Start(project, Logs, environment, port);
        lock (_processes) _processes.Add(process);
        return process;
    }

    /// <summary>The admin's token, logged in again well before the access token's 15 minutes run out.</summary>
    public async Task<string> TokenAsync()
    {
        if (_adminToken is not { } held || DateTime.UtcNow - held.At > TimeSpan.FromMinutes(5))
            _adminToken = held = (await TokenAsync("admin", AdminPassword), DateTime.UtcNow);
        return held.Token;
    }

    public async Task<string> TokenAsync(string username, string password)
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

    /// <summary>How many messages wait in a queue's <c>_error</c> queue, as RabbitMQ's management API reports (it lags by seconds).</summary>
    public async Task<long> DeadLettersAsync(string queue)
    {
        using var http = TestInfrastructure.RabbitMqApiClient();
        using var response = await http.GetAsync($"api/queues/{VirtualHost}/{queue}_error");
        if (response.StatusCode == HttpStatusCode.NotFound) return 0;
        var state = await response.Content.ReadFromJsonAsync<JsonElement>();
        return state.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : 0;
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request) => SendAsync(request, Client);

    /// <summary>
    /// Sends as a citizen on a machine of their own (a loopback address of this call's): the gateway's and the services'
    /// per-address limits on anonymous paths count it apart from every other test's calls.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsCitizenAsync(HttpRequestMessage request)
    {
        using var citizen = FromAddress.Client($"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(2, 255)}");
        return await SendAsync(request, citizen);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request, HttpClient client)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, ParseOrDefault(text));
        }
    }

    private static JsonElement ParseOrDefault(string text)
    {
        try
        {
            return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public async Task DisposeAsync()
    {
        await _supervising.CancelAsync();
        try
        {
            await _supervisor;
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var process in _processes) process.Dispose();
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
        await Telemetry.DisposeAsync();
        await Sms.DisposeAsync();
        await Mail.DisposeAsync();
        Client.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
