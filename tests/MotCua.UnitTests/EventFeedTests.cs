using Microsoft.Extensions.Configuration;
using MotCua.Contracts;
using MotCua.Notification.Feed;

namespace MotCua.UnitTests;

public sealed class EventFeedTests
{
    private static EventFeed Feed(int queue, int history = 10) => new(new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?> { ["Feed:SubscriberQueue"] = queue.ToString(), ["Feed:History"] = history.ToString() }).Build());

    private static DossierReceived Received(Guid unit) => new(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), "X-1", "P", unit, "counter",
        DateTimeOffset.UtcNow, null, new ApplicantContact("Ngô Thị Riêng", "0912345678", "rieng@example.vn"));

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_dropped_rather_than_buffered_without_bound()
    {
        var feed = Feed(queue: 2);
        var unit = Guid.NewGuid();
        var slow = feed.Subscribe(new HashSet<Guid> { unit }, null);
        for (var i = 0; i < 3; i++) feed.Publish(Received(unit), unit);
        Assert.Equal(0, feed.Subscribers);
        await slow.Queue.Reader.ReadAsync();
        await slow.Queue.Reader.ReadAsync();
        var closed = await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await slow.Queue.Reader.ReadAsync());
        Assert.IsType<FeedOverflowException>(closed.InnerException);
    }

    [Fact]
    public async Task The_feed_carries_no_personal_data_shows_a_redelivered_event_once_and_replays_after_the_last_id()
    {
        var feed = Feed(queue: 10);
        var unit = Guid.NewGuid();
        var first = Received(unit);
        feed.Publish(first, unit);
        feed.Publish(first, unit);
        feed.Publish(Received(Guid.NewGuid()), Guid.NewGuid());
        feed.Publish(Received(unit), unit);

        var replay = feed.Subscribe(new HashSet<Guid> { unit }, lastEventId: 0);
        var one = await replay.Queue.Reader.ReadAsync();
        var two = await replay.Queue.Reader.ReadAsync();
        Assert.Equal(1, one.Id);
        Assert.Equal(3, two.Id);
        Assert.False(replay.Queue.Reader.TryRead(out _));
        Assert.DoesNotContain("0912345678", one.Json);
        Assert.DoesNotContain("applicant", one.Json);
        Assert.Equal("DossierReceived", one.Name);
    }

    [Fact]
    public async Task A_unit_performing_a_step_follows_the_events_about_it_and_an_unrelated_unit_does_not()
    {
        var feed = Feed(queue: 10);
        var (commune, landOffice, elsewhere) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var office = feed.Subscribe(new HashSet<Guid> { landOffice }, null);
        var other = feed.Subscribe(new HashSet<Guid> { elsewhere }, null);
        var handedOver = new DossierStepCompleted(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), "X-2", "P", commune, "transfer", 0, "Tiếp nhận",
            "counter", Guid.NewGuid(), DateTimeOffset.UtcNow, "on_time", 1, "Thẩm định", null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, commune, landOffice);
        feed.Publish(handedOver, FeedConsumer<DossierStepCompleted>.UnitsOf(handedOver));
        feed.Publish(Received(commune), commune);

        var item = await office.Queue.Reader.ReadAsync();
        Assert.Equal(nameof(DossierStepCompleted), item.Name);
        Assert.Equal(commune, item.UnitId);
        Assert.False(office.Queue.Reader.TryRead(out _));
        Assert.False(other.Queue.Reader.TryRead(out _));
    }
}
