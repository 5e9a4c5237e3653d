using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MotCua.Performance;

/// <summary>The platform bench.sh started: its gateway with an administrator's token, its databases, and where results go.</summary>
public static class BenchPlatform
{
    public static string Database(string service) =>
        Environment.GetEnvironmentVariable($"MOTCUA_{service.ToUpperInvariant()}_DB") ?? throw new InvalidOperationException($"MOTCUA_{service.ToUpperInvariant()}_DB is not set.");

    public static async Task<HttpClient> AdminClientAsync()
    {
        var http = new HttpClient
        {
            BaseAddress = new Uri(Environment.GetEnvironmentVariable("MOTCUA_GATEWAY") ?? "http://127.0.0.1:8080/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        var login = await http.PostAsJsonAsync("/api/auth/token",
            new { username = "admin", password = Environment.GetEnvironmentVariable("MOTCUA_ADMIN_PASSWORD") });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return http;
    }

    public static string Machine => $"{Environment.ProcessorCount} cores, {Environment.OSVersion}";

    public static async Task SaveAsync(string name, object result)
    {
        var folder = Path.Combine(Environment.GetEnvironmentVariable("MOTCUA_BENCH_RESULTS") ?? "bench/results");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{DateTime.UtcNow:yyyy-MM-dd-HHmm}-{name}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"written {file}");
    }
}
