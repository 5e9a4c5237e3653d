using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MotCua.Performance;

/// <summary>
/// A morning's work for the demo province, through the public API only, so its dashboard has something to show: in six
/// communes of three districts the demo counter officers, specialists and leaders take dossiers and carry most of them
/// to the return, some only part of the way, one withdrawn; citizens rate some of the returned ones. Six communes keep
/// the logins (three each) within the gateway's limit of twenty a minute.
/// </summary>
public static class DemoDay
{
    private const string Procedure = "1.001193.000.00.00.H56";

    private static readonly string[] Names =
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Hoa", "Đặng Văn Hùng", "Bùi Thị Lan"];

    public static async Task<int> RunAsync()
    {
        using var admin = await BenchPlatform.AdminClientAsync();
        if ((await admin.GetAsync($"/api/procedures/{Procedure}")).StatusCode == HttpStatusCode.NotFound)
            (await admin.PostAsJsonAsync("/api/procedures", new
            {
                code = Procedure, name = "Đăng ký khai sinh", field = "Hộ tịch", processingTime = new { value = 3, unit = "workingDays" },
                steps = new object[]
                {
                    new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Thẩm định", role = "specialist", hours = 14 },
                    new { name = "Phê duyệt", role = "leader", hours = 6 }, new { name = "Trả kết quả", role = "counter", hours = 2 },
                },
            })).EnsureSuccessStatusCode();
        var units = (await admin.GetFromJsonAsync<JsonElement>("/api/units?descendants=true&pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(u => (Id: u.GetProperty("id").GetGuid(), Code: u.GetProperty("code").GetString()!, Type: u.GetProperty("type").GetString()!,
                Parent: u.GetProperty("parentId").ValueKind == JsonValueKind.Null ? (Guid?)null : u.GetProperty("parentId").GetGuid()))
            .ToList();
        var communes = units.Where(u => u.Type is "commune" or "ward" or "town").GroupBy(u => u.Parent).OrderBy(g => g.Key).Take(3)
            .SelectMany(district => district.OrderBy(u => u.Code, StringComparer.Ordinal).Take(2)).ToList();

        var dossiers = 0;
        var returned = new List<string>();
        for (var c = 0; c < communes.Count; c++)
        {
            var commune = communes[c];
            var prefix = commune.Code.ToLowerInvariant();
            using var counter = await LogInAsync(admin.BaseAddress!, $"{prefix}.counter1");
            using var specialist = await LogInAsync(admin.BaseAddress!, $"{prefix}.specialist1");
            using var leader = await LogInAsync(admin.BaseAddress!, $"{prefix}.leader1");
            // Busier communes and quieter ones, and not all as quick: the rankings have something to rank.
            var count = 4 + c;
            for (var i = 0; i < count; i++)
            {
                var intake = await counter.PostAsJsonAsync("/api/dossiers", new
                {
                    procedureCode = Procedure, unitId = commune.Id, channel = i % 3 == 0 ? "online" : "counter",
                    applicant = new { fullName = Names[(c + i) % Names.Length], idNumber = $"0461900{c:D2}{i:D3}", phone = $"09120{c:D2}{i:D3}" },
                    papers = new[] { "Tờ khai đăng ký khai sinh", "Giấy chứng sinh" },
                });
                intake.EnsureSuccessStatusCode();
                var code = (await intake.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
                dossiers++;
                if (i % 3 == 0) await ActAsync(counter, code, "receive");
                var stage = (i + c) % 6;
                if (stage == 5)
                {
                    await ActAsync(counter, code, "withdraw", new { reason = "Công dân xin rút hồ sơ" });
                    continue;
                }
                if (stage >= 1) await ActAsync(counter, code, "transfer");
                if (stage >= 2) await ActAsync(specialist, code, "complete-step");
                if (stage >= 3)
                {
                    await ActAsync(leader, code, "approve");
                    await ActAsync(counter, code, "mark-result-ready");
                    await ActAsync(counter, code, "return");
                    returned.Add(code);
                }
            }
        }

        // Ratings are anonymous and the gateway allows sixty a minute from one address: a sample.
        string[] levels = ["very_satisfied", "satisfied", "satisfied", "neutral", "dissatisfied"];
        using var citizen = new HttpClient { BaseAddress = admin.BaseAddress };
        await Task.Delay(TimeSpan.FromSeconds(2));
        var rated = 0;
        foreach (var (code, i) in returned.Take(20).Select((code, i) => (code, i)))
            if ((await citizen.PostAsJsonAsync("/api/ratings", new { dossierCode = code, level = levels[i % levels.Length] })).IsSuccessStatusCode) rated++;
        Console.WriteLine($"demo day: {dossiers} dossiers in {communes.Count} communes, {returned.Count} returned, {rated} rated");
        return 0;
    }

    private static async Task<HttpClient> LogInAsync(Uri gateway, string username)
    {
        var http = new HttpClient { BaseAddress = gateway };
        var login = await http.PostAsJsonAsync("/api/auth/token", new { username, password = Environment.GetEnvironmentVariable("MOTCUA_DEMO_PASSWORD") ?? "motcua-demo" });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return http;
    }

    private static async Task ActAsync(HttpClient official, string code, string action, object? body = null)
    {
        var response = await official.PostAsJsonAsync($"/api/dossiers/{code}/actions/{action}", body ?? new { });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{action} on {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
