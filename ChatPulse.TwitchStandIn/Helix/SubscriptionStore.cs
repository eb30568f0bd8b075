namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>An EventSub subscription over a conduit; <see cref="Position"/> orders listings and cursors.</summary>
public sealed record Subscription(
    string Id,
    string ClientId,
    string Status,
    string Type,
    string Version,
    IReadOnlyDictionary<string, string> Condition,
    string ConduitId,
    DateTimeOffset CreatedAt,
    long Position);

/// <summary>The subscription types the stand-in knows, with their version and condition fields.</summary>
public static class SubscriptionTypes
{
    public const string ChatMessage = "channel.chat.message";

    public static readonly IReadOnlyDictionary<string, (string Version, string[] Condition)> Known = new Dictionary<string, (string, string[])>
    {
        [ChatMessage] = ("1", ["broadcaster_user_id", "user_id"]),
        ["stream.online"] = ("1", ["broadcaster_user_id"]),
        ["stream.offline"] = ("1", ["broadcaster_user_id"]),
    };
}

/// <summary>Subscriptions of every app. Adding checks for a duplicate (same app, type, version and condition) atomically.</summary>
public sealed class SubscriptionStore
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private long _position;

    /// <summary>The new subscription, or null when an enabled one with the same type and condition exists (409).</summary>
    public Subscription? TryAdd(string clientId, string type, string version, IReadOnlyDictionary<string, string> condition, string conduitId, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_subscriptions.Any(s => s.ClientId == clientId && s.Type == type && s.Version == version && s.Status == "enabled" && SameCondition(s.Condition, condition)))
            {
                return null;
            }

            var subscription = new Subscription(Guid.NewGuid().ToString(), clientId, "enabled", type, version, condition, conduitId, now, ++_position);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    public IReadOnlyList<Subscription> List(string clientId)
    {
        lock (_lock)
        {
            return [.. _subscriptions.Where(s => s.ClientId == clientId)];
        }
    }

    public Subscription? Find(string id)
    {
        lock (_lock)
        {
            return _subscriptions.Find(s => s.Id == id);
        }
    }

    /// <summary>Takes the subscription out; null when it was not there (or belongs to another app).</summary>
    public Subscription? Remove(string id, string? clientId = null)
    {
        lock (_lock)
        {
            var found = _subscriptions.Find(s => s.Id == id && (clientId is null || s.ClientId == clientId));
            if (found is not null)
            {
                _subscriptions.Remove(found);
            }

            return found;
        }
    }

    public void RemoveByConduit(string conduitId)
    {
        lock (_lock)
        {
            _subscriptions.RemoveAll(s => s.ConduitId == conduitId);
        }
    }

    /// <summary>Enabled subscriptions of every app for <paramref name="type"/> in one channel.</summary>
    public IReadOnlyList<Subscription> ForBroadcaster(string type, string broadcasterUserId)
    {
        lock (_lock)
        {
            return [.. _subscriptions.Where(s => s.Type == type && s.Status == "enabled"
                && s.Condition.TryGetValue("broadcaster_user_id", out var b) && b == broadcasterUserId)];
        }
    }

    private static bool SameCondition(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
