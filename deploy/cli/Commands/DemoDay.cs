using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Cli.Platform;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// A morning's work for the demo province, through the public API only, so its dashboard has something to show: in six
/// communes of three districts the demo counter officers, specialists and leaders take dossiers and carry most of them
/// to the return, some only part of the way, one withdrawn; citizens rate some of the returned ones. Six communes keep
/// the logins (three each) within the gateway's limit of twenty a minute. Each commune also sends first land-certificate
/// dossiers to the land registration branch serving it (liên thông), named to the branch's specialist, whose account the
/// morning opens: she finds them in "assigned to me".
/// </summary>
public static class DemoDay
{
    private const string Procedure = "1.001193.000.00.00.H57";

    /// <summary>Cấp Giấy xác nhận tình trạng hôn nhân, seeded: three working days.</summary>
    private const string MaritalStatusProcedure = "1.004873.000.00.00.H57";

    private static readonly string[] Names =
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Hoa", "Đặng Văn Hùng", "Bùi Thị Lan"];

    private static readonly string[] Levels = ["very_satisfied", "satisfied", "satisfied", "neutral", "dissatisfied"];

    /// <summary>The province's own procedure (its code carries the province's H57): received at the commune, appraised and
    /// confirmed at the land registration branch, signed by the commune chairman, returned at the counter; 20 working days.</summary>
    private const string LandProcedure = "H57.DD.001";

    private sealed record Commune(Guid Id, string Code, Guid? LandSpecialist);

    public static async Task RunAsync(HttpClient admin, Guid provinceId, string demoPassword, CancellationToken ct)
    {
        await EnsureProcedureAsync(admin, ct);
        await EnsureLandProcedureAsync(admin, provinceId, ct);
        var communes = await CommunesAsync(admin, provinceId, demoPassword, ct);
        var dossiers = 0;
        var returned = new List<string>();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("a morning at six counters", maxValue: communes.Count);
            for (var c = 0; c < communes.Count; c++)
            {
                var (taken, done) = await MorningAtAsync(admin.BaseAddress!, communes[c], c, demoPassword, ct);
                dossiers += taken;
                returned.AddRange(done);
                task.Increment(1);
            }
        });
        var rated = await RateAsync(admin.BaseAddress!, returned.Take(20).ToList(), ct);
        Operator.Done($"a demo morning: {dossiers} dossiers in {communes.Count} communes, {returned.Count} returned, {rated} rated");
    }

    private static async Task EnsureProcedureAsync(HttpClient admin, CancellationToken ct)
    {
        using var existing = await admin.GetAsync($"api/procedures/{Procedure}", ct);
        if (existing.StatusCode != HttpStatusCode.NotFound) return;
        await GatewayClient.SendAsync(admin, HttpMethod.Post, "api/procedures", new
        {
            code = Procedure, name = "Đăng ký khai sinh", field = "Hộ tịch", processingTime = new { value = 3, unit = "workingDays" },
            steps = new object[]
            {
                new { name = "Tiếp nhận", role = "counter", hours = 2 }, new { name = "Thẩm định", role = "specialist", hours = 14 },
                new { name = "Phê duyệt", role = "leader", hours = 6 }, new { name = "Trả kết quả", role = "counter", hours = 2 },
            },
        }, ct);
    }

    private static async Task EnsureLandProcedureAsync(HttpClient admin, Guid provinceId, CancellationToken ct)
    {
        using var existing = await admin.GetAsync($"api/procedures/{LandProcedure}", ct);
        if (existing.StatusCode != HttpStatusCode.NotFound) return;
        await OnceKnownAsync(() => GatewayClient.SendAsync(admin, HttpMethod.Post, "api/procedures", new
        {
            code = LandProcedure, name = "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", field = "Đất đai",
            processingTime = new { value = 20, unit = "workingDays" }, provinceId, receivedBy = new[] { "commune", "ward", "town" },
            papers = new[] { "Đơn đăng ký đất đai, tài sản gắn liền với đất", "Giấy tờ về quyền sử dụng đất" },
            steps = new object[]
            {
                new { name = "Tiếp nhận", role = "counter", hours = 8 },
                new { name = "Thẩm định, xác nhận của chi nhánh đăng ký đất đai", role = "specialist", hours = 120, unitKind = "land_registration" },
                new { name = "Chủ tịch UBND ký", role = "leader", hours = 24 },
                new { name = "Trả kết quả", role = "counter", hours = 8 },
            },
        }, ct), ct, "provinceId", "steps[1].unitKind", "steps[2].unitKind");
    }

    /// <summary>
    /// A specialist and a leader for a land registration branch, with accounts <c>&lt;branch code&gt;.specialist1</c> and
    /// <c>.leader1</c> (the demo password); the specialist's id.
    /// </summary>
    private static async Task<Guid> LandOfficialsAsync(HttpClient admin, Guid branch, string branchCode, string password, CancellationToken ct)
    {
        var specialist = Guid.Empty;
        foreach (var (role, name, title) in new[] { ("specialist", "Trần Thị Thửa", "Chuyên viên đăng ký đất đai"), ("leader", "Phan Văn Địa", "Giám đốc chi nhánh") })
        {
            var official = await GatewayClient.SendAsync(admin, HttpMethod.Post, "api/officials", new
            {
                fullName = name, gender = role == "specialist" ? "female" : "male", birthDate = "1985-05-01", ethnicity = "Kinh",
                category = "public_employee", title, unitId = branch, roles = new[] { role },
                education = new { general = "upper_secondary", professional = "university", politicalTheory = "intermediate", stateManagement = "specialist" },
                account = new { username = $"{branchCode.ToLowerInvariant()}.{role}1", password },
            }, ct);
            if (role == "specialist") specialist = official.GetProperty("id").GetGuid();
        }
        return specialist;
    }

    /// <summary>
    /// Two communes of each of the demo province's first three districts (by code: T46-D01, -D02, -D03), and the accounts of
    /// each district's land registration branch (<c>t46-d01-cndkdd.specialist1</c>). Only its own: an installation may hold other
    /// units, whose officials have no demo accounts (the compose smoke run's own commune once came first).
    /// </summary>
    private static async Task<List<Commune>> CommunesAsync(HttpClient admin, Guid provinceId, string password, CancellationToken ct)
    {
        var units = new List<(Guid Id, string Code, string Type, Guid? Parent, string? Kind)>();
        for (var page = 1; ; page++)
        {
            var items = (await GatewayClient.SendAsync(admin, HttpMethod.Get,
                    $"api/units?parentId={provinceId}&descendants=true&pageSize=200&page={page}", null, ct))
                .GetProperty("items").EnumerateArray().ToList();
            units.AddRange(items.Select(u => (Id: u.GetProperty("id").GetGuid(), Code: u.GetProperty("code").GetString()!, Type: u.GetProperty("type").GetString()!,
                Parent: u.GetProperty("parentId").ValueKind == JsonValueKind.Null ? (Guid?)null : u.GetProperty("parentId").GetGuid(),
                Kind: u.TryGetProperty("agencyKind", out var kind) ? kind.GetString() : null)));
            if (items.Count < 200) break;
        }
        var communes = new List<Commune>();
        var codes = units.ToDictionary(u => u.Id, u => u.Code);
        foreach (var district in units.Where(u => u.Type is "commune" or "ward" or "town").GroupBy(u => u.Parent)
                     .OrderBy(g => g.Key is { } d ? codes.GetValueOrDefault(d) : null, StringComparer.Ordinal).Take(3))
        {
            var branch = units.Single(u => u.Parent == district.Key && u.Kind == "land_registration");
            var landSpecialist = await LandOfficialsAsync(admin, branch.Id, branch.Code, password, ct);
            communes.AddRange(district.OrderBy(u => u.Code, StringComparer.Ordinal).Take(2).Select(u => new Commune(u.Id, u.Code, landSpecialist)));
        }
        return communes;
    }

    /// <summary>
    /// A call that names units or officials the Dossier service learns of from Personnel's events a moment after the demo
    /// is loaded: until then it refuses the field naming them, and the call is tried again (nothing was written).
    /// </summary>
    private static async Task<JsonElement> OnceKnownAsync(Func<Task<JsonElement>> send, CancellationToken ct, params string[] fields)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (OperatorException e) when (attempt < 60 && fields.Any(f => e.Message.Contains(f + ":", StringComparison.Ordinal)))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private static Task<JsonElement> IntakeAsync(HttpClient counter, object body, CancellationToken ct) =>
        OnceKnownAsync(() => GatewayClient.SendAsync(counter, HttpMethod.Post, "api/dossiers", body, ct), ct, "unitId");

    private static async Task<(int Taken, List<string> Returned)> MorningAtAsync(Uri gateway, Commune commune, int c, string password, CancellationToken ct)
    {
        var prefix = commune.Code.ToLowerInvariant();
        using var counter = await GatewayClient.LogInAsync(gateway, $"{prefix}.counter1", password, ct);
        using var specialist = await GatewayClient.LogInAsync(gateway, $"{prefix}.specialist1", password, ct);
        using var leader = await GatewayClient.LogInAsync(gateway, $"{prefix}.leader1", password, ct);
        var returned = new List<string>();
        // Busier communes and quieter ones, and not all as quick: the rankings have something to rank.
        var count = 4 + c;
        for (var i = 0; i < count; i++)
        {
            var stage = (i + c) % 6;
            // The ones left at the counter are three-day confirmations of marital status: moving the clock on, a demo
            // watches each get its apology when its window opens, a working day before its due time (a one-day birth
            // registration's window is open from the start, so its letter is never a working day ahead).
            var (procedure, papers) = stage == 0
                ? (MaritalStatusProcedure, new[] { "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" })
                : (Procedure, new[] { "Tờ khai đăng ký khai sinh", "Giấy chứng sinh" });
            var code = (await IntakeAsync(counter, new
            {
                procedureCode = procedure, unitId = commune.Id, channel = i % 3 == 0 ? "online" : "counter",
                applicant = new { fullName = Names[(c + i) % Names.Length], idNumber = $"0461900{c:D2}{i:D3}", phone = $"09120{c:D2}{i:D3}" },
                papers,
            }, ct)).GetProperty("code").GetString()!;
            if (i % 3 == 0) await ActAsync(counter, code, "receive", null, ct);
            if (stage == 5)
            {
                await ActAsync(counter, code, "withdraw", new { reason = "Công dân xin rút hồ sơ" }, ct);
                continue;
            }
            if (stage >= 1) await ActAsync(counter, code, "transfer", null, ct);
            if (stage >= 2) await ActAsync(specialist, code, "complete-step", null, ct);
            if (stage < 3) continue;
            await ActAsync(leader, code, "approve", null, ct);
            await ActAsync(counter, code, "mark-result-ready", null, ct);
            await ActAsync(counter, code, "return", null, ct);
            returned.Add(code);
        }
        // Land dossiers go to the branch serving the commune, named to its specialist (the Dossier service may need a moment
        // to learn of her, as of the units above).
        for (var i = 0; i < 2; i++)
        {
            var land = (await IntakeAsync(counter, new
            {
                procedureCode = LandProcedure, unitId = commune.Id, channel = "counter",
                applicant = new { fullName = Names[(c + i + 3) % Names.Length], idNumber = $"0461910{c:D2}{i:D3}", phone = $"09130{c:D2}{i:D3}" },
                papers = new[] { "Đơn đăng ký đất đai, tài sản gắn liền với đất", "Giấy tờ về quyền sử dụng đất" },
            }, ct)).GetProperty("code").GetString()!;
            await TransferAsync(counter, land, commune.LandSpecialist, ct);
        }
        return (count + 2, returned);
    }

    /// <summary>
    /// Citizens rate anonymously, and Evaluation accepts a rating once it has heard of the return: a rating refused
    /// as too early is tried again for a while. The gateway allows sixty anonymous calls a minute from one address.
    /// </summary>
    private static async Task<int> RateAsync(Uri gateway, List<string> codes, CancellationToken ct)
    {
        using var citizen = new HttpClient { BaseAddress = gateway };
        var rated = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var (code, i) in codes.Select((code, i) => (code, i)))
            while (true)
            {
                using var response = await citizen.PostAsJsonAsync("api/ratings", new { dossierCode = code, level = Levels[i % Levels.Length] }, ct);
                if (response.IsSuccessStatusCode) rated++;
                if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline || response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Conflict)) break;
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        return rated;
    }

    private static Task TransferAsync(HttpClient counter, string code, Guid? assignee, CancellationToken ct) =>
        OnceKnownAsync(() => GatewayClient.SendAsync(counter, HttpMethod.Post, $"api/dossiers/{code}/actions/transfer",
            new { assigneeId = assignee, note = "Chuyển chi nhánh văn phòng đăng ký đất đai" }, ct), ct, "assigneeId");

    private static Task ActAsync(HttpClient official, string code, string action, object? body, CancellationToken ct) =>
        GatewayClient.SendAsync(official, HttpMethod.Post, $"api/dossiers/{code}/actions/{action}", body ?? new { }, ct);
}
