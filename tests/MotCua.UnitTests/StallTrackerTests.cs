using MotCua.Data.Messaging;

namespace MotCua.UnitTests;

/// <summary>When a queue counts as stalled (timestamps in seconds here: a frequency of 1).</summary>
public sealed class StallTrackerTests
{
    private readonly StallTracker _tracker = new(TimeSpan.FromSeconds(30), 1);

    private IReadOnlyList<string> Observe(long now, params (string Queue, uint Messages, uint Consumers)[] queues) =>
        _tracker.Observe(queues.ToDictionary(q => q.Queue, q => new QueueState(q.Messages, q.Consumers)), now);

    [Fact]
    public void Messages_waiting_with_no_consumer_for_the_timeout_make_a_stall()
    {
        Assert.Empty(Observe(100, ("received", 2251, 0), ("resolved", 0, 1)));
        Assert.Empty(Observe(110, ("received", 2300, 0), ("resolved", 0, 1)));
        Assert.Equal(["received"], Observe(130, ("received", 2400, 0), ("resolved", 0, 1)));
    }

    [Fact]
    public void A_consumer_back_or_an_empty_queue_starts_the_count_again()
    {
        Assert.Empty(Observe(100, ("received", 10, 0), ("returned", 5, 0)));
        Assert.Empty(Observe(115, ("received", 10, 1), ("returned", 0, 0)));
        Assert.Empty(Observe(140, ("received", 10, 0), ("returned", 5, 0)));
        Assert.Equal(["received", "returned"], Observe(170, ("received", 10, 0), ("returned", 5, 0)));
    }

    [Fact]
    public void A_queue_the_check_could_not_ask_about_is_not_judged_and_starts_again()
    {
        Assert.Empty(Observe(100, ("received", 10, 0)));
        // The broker was away, or the endpoint said it had lost its channel.
        Assert.Empty(Observe(120));
        Assert.Empty(Observe(140, ("received", 10, 0)));
        Assert.Equal(["received"], Observe(170, ("received", 10, 0)));
    }

    [Fact]
    public void Consumers_elsewhere_keep_the_queue_moving_and_no_instance_is_stalled()
    {
        Assert.Empty(Observe(100, ("received", 500, 2)));
        Assert.Empty(Observe(200, ("received", 500, 2)));
    }
}
