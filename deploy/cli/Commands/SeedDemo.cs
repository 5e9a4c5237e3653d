using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Cli.Platform;
using Spectre.Console;

namespace MotCua.Cli.Commands;

/// <summary>
/// <c>motcua seed demo</c>: the demo province built from the seed articles (152 communes, 3,355 officials), then a
/// morning of dossiers at six of its counters so the dashboard has something to show. Loading twice is refused by the
/// platform, so running it again is harmless.
/// </summary>
public static class SeedDemo
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "The same seed gives the same province", DefaultValueFactory = _ => 2025 };
        var noDay = new Option<bool>("--no-morning") { Description = "Load the province only, without the morning of dossiers" };
        var demoPassword = new Option<string>("--demo-password")
        {
            Description = "The demo officials' password (Demo__Password on Personnel) [env MOTCUA_DEMO_PASSWORD]",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MOTCUA_DEMO_PASSWORD") ?? "motcua-demo",
        };
        var demo = new Command("demo", "Load the demo province and a morning of dossiers") { seed, noDay, demoPassword };
        demo.SetAction(async (parse, ct) =>
        {
            var connection = Connection.From(parse);
            using var http = await GatewayClient.LogInAsync(connection, ct, TimeSpan.FromMinutes(5));
            using var response = await AnsiConsole.Status().StartAsync("loading the demo province…",
                _ => http.PostAsJsonAsync("api/admin/demo", new { seed = parse.GetValue(seed) }, ct));
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                Operator.Warn("the demo province is already loaded; nothing done");
                return 0;
            }
            if (!response.IsSuccessStatusCode) throw await GatewayClient.RefusalAsync(response, "loading the demo province", ct);
            var province = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            Operator.Done($"demo province loaded: {province}");
            if (!parse.GetValue(noDay))
                await DemoDay.RunAsync(http, province.GetProperty("provinceId").GetGuid(), parse.GetValue(demoPassword)!, ct);
            return 0;
        });
        var command = new Command("seed", "Demonstration data");
        command.Subcommands.Add(demo);
        return command;
    }
}
