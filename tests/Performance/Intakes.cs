using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MotCua.Performance;

/// <summary>
/// Dossiers taken at the demo province's counters: spread over every commune with an agency code (each commune numbers
/// its own dossiers, so one commune would measure one counter row's lock, not the platform), each applicant with a phone
/// so every intake also becomes a text to send.
/// </summary>
public sealed class Intakes(string token, Guid[] communes)
{
    private const string Procedure = "1.001193.000.00.00.H57";

    public string Token { get; } = token;

    public static async Task<Intakes> PrepareAsync()
    {
        using var admin = await BenchPlatform.AdminClientAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var units = await admin.GetFromJsonAsync<JsonElement>("/api/units?descendants=true&pageSize=200&type=commune,ward,town");
        var communes = units.GetProperty("items").EnumerateArray()
            .Where(u => u.GetProperty("type").GetString() is "commune" or "ward" or "town"
                && u.TryGetProperty("agencyCode", out var code) && code.ValueKind == JsonValueKind.String)
            .Select(u => u.GetProperty("id").GetGuid()).ToArray();
        if (communes.Length == 0) throw new InvalidOperationException("No commune with an agency code: start with deploy/local/up.sh --demo.");
        return new Intakes(token, communes);
    }

    public HttpClient Client(Uri address, int connections)
    {
        var http = Load.Client(address, connections);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public async Task<(HttpStatusCode Status, string? Code)> TakeAsync(HttpClient http, int i)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new
        {
            procedureCode = Procedure, unitId = communes[i % communes.Length], channel = "counter",
            applicant = new { fullName = "Nguyễn Thị Đo Tải", idNumber = $"{i % 1_000_000_000_000:D12}", phone = $"09{i % 100_000_000:D8}" },
            papers = new[] { "Tờ khai đăng ký khai sinh" },
        }), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/dossiers", content);
        if (response.StatusCode != HttpStatusCode.Created) return (response.StatusCode, null);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return (response.StatusCode, body.RootElement.GetProperty("code").GetString());
    }
}
