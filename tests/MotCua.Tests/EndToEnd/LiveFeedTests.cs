using System.Net;
using MotCua.Tests.Support;

namespace MotCua.Tests.EndToEnd;

/// <summary>The live feed through the gateway, read by a real HTTP client.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LiveFeedTests(PlatformFixture platform)
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(20);

    private Uri Stream(Guid unit) => new(platform.Gateway, $"/api/events/stream?unitId={unit}");

    private async Task<string> IntakeAsync(Guid unit)
    {
        var (status, dossier) = await platform.SendAsync(platform.Request(HttpMethod.Post, "/api/dossiers", await platform.TokenAsync(),
            DossierFlowTests.NewDossier(unit, idNumber: "031200007788")));
        Assert.Equal(HttpStatusCode.Created, status);
        return dossier.GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task A_units_feed_shows_its_dossiers_live_without_personal_data_and_resumes_after_a_drop()
    {
        var a = await platform.NewCommuneAsync();
        var b = await platform.NewCommuneAsync();
        var viewerOfA = Tokens.Create(platform.SigningKey, TimeSpan.FromHours(1), role: "viewer", unitId: a);
        await using var feedA = await SseClient.OpenAsync(Stream(a), viewerOfA);
        await using var feedB = await SseClient.OpenAsync(Stream(b), await platform.TokenAsync());
        Assert.Equal(HttpStatusCode.OK, feedA.Status);

        var codeA = await IntakeAsync(a);
        var received = (SseClient.Event)(await Eventually.Get<object>(() => Task.FromResult<object?>(
            feedA.Events.FirstOrDefault(e => e.Name == "DossierReceived" && e.Data.Contains(codeA))), Seconds, "A's feed shows the dossier"))!;
        Assert.DoesNotContain("031200007788", received.Data);
        Assert.DoesNotContain("0912345678", received.Data);
        Assert.DoesNotContain("applicant", received.Data);

        var codeB = await IntakeAsync(b);
        await Eventually.True(() => Task.FromResult(feedB.Events.Any(e => e.Data.Contains(codeB))), Seconds, "B's feed shows B's dossier");
        Assert.DoesNotContain(feedB.Events, e => e.Data.Contains(codeA));
        Assert.DoesNotContain(feedA.Events, e => e.Data.Contains(codeB));

        await feedA.DisposeAsync();
        var missed = await IntakeAsync(a);
        await using var resumed = await SseClient.OpenAsync(Stream(a), viewerOfA, lastEventId: received.Id);
        await Eventually.True(() => Task.FromResult(resumed.Events.Any(e => e.Data.Contains(missed))), Seconds, "the missed event is replayed");
        Assert.DoesNotContain(resumed.Events, e => e.Id <= received.Id);
    }

    [Fact]
    public async Task Another_units_feed_is_refused()
    {
        var a = await platform.NewCommuneAsync();
        var b = await platform.NewCommuneAsync();
        await using var refused = await SseClient.OpenAsync(Stream(b), Tokens.Create(platform.SigningKey, TimeSpan.FromHours(1), role: "viewer", unitId: a));
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
    }
}
