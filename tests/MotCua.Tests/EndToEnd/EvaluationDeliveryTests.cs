using System.Net;
using MassTransit;
using MotCua.Contracts;
using MotCua.Tests.Support;
using Npgsql;

namespace MotCua.Tests.EndToEnd;

/// <summary>
/// The projections are a function of the events, not of how they arrive: the same story told to Evaluation's
/// queues in order, and for another unit backwards with every message delivered twice, gives the same figures.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EvaluationDeliveryTests(PlatformFixture platform)
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);
    private static readonly string[] Periods = ["2026-09-30", "2026-10-07", "2026-09", "2026-10", "2026-11", "2026-Q3", "2026-Q4", "2026"];

    [Fact]
    public async Task Duplicated_and_reordered_delivery_gives_the_same_numbers()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(configure => configure.Host(new Uri(platform.AmqpUri)));
        await bus.StartAsync();
        try
        {
            var (inOrder, official1) = (Guid.NewGuid(), Guid.NewGuid());
            var (shuffled, official2) = (Guid.NewGuid(), Guid.NewGuid());
            var story1 = Story(inOrder, official1);
            var story2 = Story(shuffled, official2);
            foreach (var message in story1) await SendAsync(bus, message);
            foreach (var message in Enumerable.Reverse(story2))
            {
                await SendAsync(bus, message);
                await SendAsync(bus, message);
            }
            // One more of each kind, behind everything on every queue: when these are in, the duplicates were handled.
            var sentinels = Story(Guid.NewGuid(), Guid.NewGuid()).DistinctBy(m => m.GetType()).ToList();
            foreach (var message in sentinels) await SendAsync(bus, message);
            foreach (var message in sentinels)
                await Eventually.True(async () => await platform.CountAsync("evaluation", "SELECT count(*) FROM event_log WHERE message_id = $1",
                    message.EventId) == 1, TimeSpan.FromSeconds(30), $"the sentinel {message.GetType().Name} is in");
            Assert.Equal(story1.Count + story2.Count, await platform.CountAsync("evaluation",
                "SELECT count(*) FROM event_log WHERE body->>'unitId' = $1 OR body->>'unitId' = $2", inOrder.ToString(), shuffled.ToString()));

            var admin = await platform.TokenAsync();
            foreach (var period in Periods)
            {
                var (status1, first) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{inOrder}?period={period}", admin));
                var (status2, second) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{shuffled}?period={period}", admin));
                Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status1, status2));
                Assert.Equal(first.ToString().Replace(inOrder.ToString(), "unit"), second.ToString().Replace(shuffled.ToString(), "unit"));
            }
            Assert.Equal(await OfficialRowsAsync(official1), await OfficialRowsAsync(official2));

            // And the figures are the story's: October received d1–d5; resolved d1 (early), d2 and d6 (late, past the
            // statutory due whatever the apology said); d3 open past its due; d4's due moved to November by the resubmission.
            var (_, october) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{shuffled}?period=2026-10", admin));
            Assert.Equal([5, 1, 3, 1, 2, 1, 1, 1], new[] { "received", "online", "resolved", "early", "late", "overduePending", "apologies", "escalations" }
                .Select(name => october.GetProperty(name).GetInt32()));
            Assert.Equal(1, october.GetProperty("feedback").GetProperty("answeredLate").GetInt32());
            // d6 was due on 30 September and settled on 3 October: overdue pending at the end of September and of Q3.
            var (_, september) = await platform.SendAsync(platform.Request(HttpMethod.Get, $"/api/evaluation/units/{shuffled}?period=2026-Q3", admin));
            Assert.Equal(1, september.GetProperty("overduePending").GetInt32());
            Assert.Equal("2026-10|3|1|1|2|1|1;2026-Q4|3|1|1|2|1|1;2026|3|1|1|2|1|1", await OfficialRowsAsync(official2));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task SendAsync(IBusControl bus, IIntegrationEvent message)
    {
        var queue = "evaluation-outcome-" + KebabCaseEndpointNameFormatter.Instance.SanitizeName(message.GetType().Name);
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, message.GetType(), context => context.MessageId = message.EventId);
    }

    /// <summary>Steps, on time (early and on time), early, late, apologies and escalations at fault, per month, quarter and year.</summary>
    private async Task<string> OfficialRowsAsync(Guid official)
    {
        await using var dataSource = NpgsqlDataSource.Create(platform.DatabaseOf("evaluation"));
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(string_agg(concat_ws('|', period, steps, steps_early + steps_on_time, steps_early, steps_late, apologies_at_fault, escalations_at_fault), ';'
                ORDER BY length(period) DESC, period), '')
            FROM official_period_stats WHERE official_id = $1 AND length(period) <= 7
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = official });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Vietnam);

    /// <summary>Six dossiers and a feedback of one unit, in the order they happened.</summary>
    private static List<IIntegrationEvent> Story(Guid unit, Guid official)
    {
        var applicant = new ApplicantContact("Võ Thị Sáu", null, null);
        var (d1, d2, d3, d4, d5, d6, feedback) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        const string procedure = "1.001193.000.00.00.H57";
        DossierReceived Received(Guid id, string code, DateTimeOffset at, DateTimeOffset due, string channel = "counter") =>
            new(Guid.NewGuid(), at, id, code, procedure, unit, channel, at, due, applicant);
        DossierStepCompleted Step(Guid id, string code, DateTimeOffset at, DateTimeOffset stepDue, string timeliness) =>
            new(Guid.NewGuid(), at, id, code, procedure, unit, "complete-step", 1, "Thẩm định", "specialist", official, stepDue, timeliness, 2,
                "Phê duyệt", null, stepDue.AddHours(2), stepDue.AddDays(1));
        DossierResolved Resolved(Guid id, string code, DateTimeOffset at, string timeliness, double hours) =>
            new(Guid.NewGuid(), at, id, code, procedure, unit, "resolved", official, null, at, applicant, timeliness, hours);

        return
        [
            Received(d6, "D6", At(9, 28, 8), At(9, 30, 8)),
            Step(d6, "D6", At(10, 2, 9), At(9, 29, 16), "late"),
            Resolved(d6, "D6", At(10, 3, 10), "late", 26),
            Received(d1, "D1", At(10, 5, 8), At(10, 7, 8)),
            Received(d2, "D2", At(10, 5, 8), At(10, 7, 8)),
            new FeedbackReceived(Guid.NewGuid(), At(10, 5, 9), feedback, "PA-1", unit, "feedback", null, At(10, 5, 9), At(10, 19, 9)),
            Step(d1, "D1", At(10, 5, 9), At(10, 6, 15), "early"),
            Resolved(d1, "D1", At(10, 6, 10), "early", 10),
            new DossierReturned(Guid.NewGuid(), At(10, 6, 11), d1, "D1", procedure, unit, "returned", official, null, At(10, 7, 8), applicant, "early"),
            new DossierOverdue(Guid.NewGuid(), At(10, 7, 8, 5), d2, "D2", procedure, unit, At(10, 7, 8), unit, "Thẩm định", official),
            new ApologyIssued(Guid.NewGuid(), At(10, 7, 8, 5), d2, "D2", procedure, null, unit, "1/XL", "Chậm thẩm định", unit, "Thẩm định", official,
                At(10, 7, 8), At(10, 8, 8), true, applicant),
            new DossierEscalated(Guid.NewGuid(), At(10, 8, 8, 5), d2, "D2", procedure, unit, null, At(10, 8, 8), unit, "Thẩm định", official),
            Step(d2, "D2", At(10, 9, 9), At(10, 6, 15), "late"),
            // An apology's new date made the control sheet say on time; the statutory due says late.
            Resolved(d2, "D2", At(10, 9, 10), "on_time", 26),
            new DossierReceived(Guid.NewGuid(), At(10, 10, 8), d3, "D3", procedure, unit, "online", At(10, 10, 8), null, applicant, "registered"),
            Received(d3, "D3", At(10, 12, 8), At(10, 14, 8), "online"),
            Received(d4, "D4", At(10, 20, 8), At(10, 22, 8)),
            new FeedbackAnswered(Guid.NewGuid(), At(10, 21, 9), feedback, "PA-1", unit, official, At(10, 19, 9), "late"),
            new DossierResubmitted(Guid.NewGuid(), At(10, 23, 8), d4, "D4", procedure, unit, "processing", official, null, At(11, 3, 8), null, 48,
                At(11, 3, 8)),
            Received(d5, "D5", At(10, 25, 8), At(10, 27, 8)),
            new DossierWithdrawn(Guid.NewGuid(), At(10, 26, 8), d5, "D5", procedure, unit, "withdrawn", official, "Rút hồ sơ", At(10, 27, 8), applicant),
            Resolved(d4, "D4", At(11, 2, 10), "early", 20),
        ];
    }
}
