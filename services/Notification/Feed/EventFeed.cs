using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MotCua.Contracts;

namespace MotCua.Notification.Feed;

/// <summary>
/// One event as the live feed sends it: its number on this instance, contract name, units and JSON without personal data.
/// <see cref="UnitId"/> is the receiving unit; <see cref="Units"/> adds the units of the steps it is about (liên thông).
/// </summary>
public sealed record FeedItem(long Id, string Name, Guid UnitId, string Json, IReadOnlyList<Guid> Units);

/// <summary>
/// The live feed of one Notification instance: a bounded history of recent events for <c>Last-Event-ID</c>
/// resume, and the subscribers, each with a bounded queue. A subscriber that does not keep up is dropped
/// (its stream ends; the browser reconnects and resumes), so a slow client never grows memory.
/// </summary>
public sealed class EventFeed(IConfiguration configuration)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] PersonalFields = ["applicant"];

    private readonly int _historySize = configuration.GetValue("Feed:History", 2000);
    private readonly int _queueSize = configuration.GetValue("Feed:SubscriberQueue", 256);
    private readonly LinkedList<FeedItem> _history = new();
    private readonly HashSet<Guid> _seen = [];
    private readonly Queue<Guid> _seenOrder = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly Lock _gate = new();
    private long _next;

    public int Subscribers
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    public sealed class Subscriber(IReadOnlySet<Guid>? units, int capacity)
    {
        public Channel<FeedItem> Queue { get; } = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(capacity) { SingleReader = true });

        public bool Wants(FeedItem item) => units is null || item.Units.Any(units.Contains);

        /// <summary>The id of the last event published when the subscription began: where a client resumes from.</summary>
        public long Position { get; internal set; }
    }

    public void Publish(IIntegrationEvent message, Guid unitId) => Publish(message, [unitId]);

    /// <summary>Publishes to the subscribers of any of <paramref name="units"/> (the first is the receiving unit).</summary>
    public void Publish(IIntegrationEvent message, IReadOnlyList<Guid> units)
    {
        var node = JsonSerializer.SerializeToNode(message, message.GetType(), Json)!.AsObject();
        foreach (var field in PersonalFields) node.Remove(field);
        lock (_gate)
        {
            // The bus may deliver an event twice; the feed shows it once.
            if (!_seen.Add(message.EventId)) return;
            _seenOrder.Enqueue(message.EventId);
            if (_seenOrder.Count > _historySize * 2) _seen.Remove(_seenOrder.Dequeue());

            var item = new FeedItem(++_next, message.GetType().Name, units[0], node.ToJsonString(), units);
            _history.AddLast(item);
            if (_history.Count > _historySize) _history.RemoveFirst();
            foreach (var subscriber in _subscribers.ToList())
                if (subscriber.Wants(item) && !subscriber.Queue.Writer.TryWrite(item))
                {
                    subscriber.Queue.Writer.TryComplete(new FeedOverflowException());
                    _subscribers.Remove(subscriber);
                }
        }
    }

    /// <summary>Subscribes, replaying the kept events after <paramref name="lastEventId"/> first.</summary>
    public Subscriber Subscribe(IReadOnlySet<Guid>? units, long? lastEventId)
    {
        var subscriber = new Subscriber(units, _queueSize);
        lock (_gate)
        {
            if (lastEventId is { } last)
                foreach (var item in _history.Where(i => i.Id > last && subscriber.Wants(i)).TakeLast(_queueSize))
                    subscriber.Queue.Writer.TryWrite(item);
            subscriber.Position = Math.Max(_next, lastEventId ?? 0);
            _subscribers.Add(subscriber);
        }
        return subscriber;
    }

    public void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate) _subscribers.Remove(subscriber);
        subscriber.Queue.Writer.TryComplete();
    }
}

public sealed class FeedOverflowException() : Exception("The subscriber fell too far behind and was dropped.");
