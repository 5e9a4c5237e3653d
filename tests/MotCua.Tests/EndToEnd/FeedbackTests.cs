using System.Net;
using System.Text.Json;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>Feedback (phản ánh, kiến nghị): sent by citizens, answered by the unit, its lateness visible.</summary>
[Collection(PlatformCollection.Name)]
public sealed class FeedbackTests(PlatformFixture platform)
{
    [Fact]
    public async Task Citizens_send_feedback_the_unit_answers_it_once_and_other_units_do_not_see_it()
    {
        var unit = await platform.NewCommuneAsync();
        var other = await platform.NewCommuneAsync();
        var (_, leader) = await platform.OfficialAsync(unit, "leader");
        var (_, outsider) = await platform.OfficialAsync(other, "leader");
        var (_, counter) = await platform.OfficialAsync(unit, "counter");

        // From a citizen's own address: the public limit on 127.0.0.1 belongs to the rate-limit test of this run.
        Task<(HttpStatusCode Status, JsonElement Body)> Send(object body) =>
            platform.SendAsCitizenAsync(platform.Request(HttpMethod.Post, "/api/public/feedback", null, body));

        var (invalid, problem) = await Send(new { kind = "complaint", content = " ", citizen = new { fullName = "An", phone = "12" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "kind", "content", "citizen.phone", "unitId" }, fields);
        var (unknown, unknownProblem) = await Send(new { kind = "feedback", dossierCode = "000.00.00.X00-000101-0001", content = "Chậm", citizen = new { fullName = "An", phone = "0912345678" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.True(unknownProblem.GetProperty("errors").TryGetProperty("dossierCode", out _), unknownProblem.ToString());

        var (created, feedback) = await Send(new
        {
            kind = "recommendation", unitId = unit, content = "Đề nghị bố trí thêm ghế chờ tại bộ phận một cửa.",
            citizen = new { fullName = "Trương Văn Lâm", phone = "0987654321", email = "lam@example.vn" },
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = feedback.GetProperty("id").GetGuid();
        Assert.StartsWith("PA-", feedback.GetProperty("number").GetString());
        Assert.True(feedback.GetProperty("answerDueAt").GetDateTimeOffset() > feedback.GetProperty("receivedAt").GetDateTimeOffset().AddDays(9));

        // The unit's list shows it, contact details masked; another commune's leader sees nothing of it.
        var (_, list) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/feedback?unitId={unit}&status=open", leader));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.DoesNotContain("0987654321", item.GetProperty("citizen").GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/feedback/{id}", outsider))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/feedback/{id}/answer", outsider,
            new { answer = "Không phải của chúng tôi" }))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/feedback/{id}/answer", counter,
            new { answer = "Bộ phận một cửa trả lời" }))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/feedback/{id}/answer", leader,
            new { answer = "" }))).Status);

        var (answered, answer) = await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/feedback/{id}/answer", leader,
            new { answer = "Ủy ban đã bố trí thêm 10 ghế chờ." }));
        Assert.Equal(HttpStatusCode.OK, answered);
        Assert.Contains(answer.GetProperty("timeliness").GetString(), new[] { "early", "on_time" });
        Assert.Equal(HttpStatusCode.Conflict, (await platform.SendAsync(platform.Request(HttpMethod.Post, $"/api/feedback/{id}/answer", leader,
            new { answer = "Trả lời lần hai" }))).Status);

        // Evaluation counts it from the events: received in the month it came in, answered in the month of the answer (in
        // Viet Nam), which are not the month read afterwards if a midnight ends a month in between.
        var admin = await platform.TokenAsync();
        static string MonthOf(JsonElement at) => at.GetDateTimeOffset().ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        async Task<JsonElement> FiguresOf(string month) =>
            (await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{unit}?period={month}", admin))).Body.GetProperty("feedback");
        await Eventually.True(async () =>
        {
            var (came, answeredIn) = (await FiguresOf(MonthOf(feedback.GetProperty("receivedAt"))), await FiguresOf(MonthOf(answer.GetProperty("answeredAt"))));
            return came.GetProperty("received").GetInt32() == 1 && answeredIn.GetProperty("answered").GetInt32() == 1
                && answeredIn.GetProperty("answeredLate").GetInt32() == 0;
        }, TimeSpan.FromSeconds(20), "the feedback and its answer counted");
    }
}
