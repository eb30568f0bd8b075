namespace ChatPulse.Api.Infrastructure.Redis;

/// <summary>
/// Every Redis key and pub/sub channel ChatPulse uses, built in this one place. Per-channel keys take the
/// broadcaster's Twitch user id; the <c>{…}</c> hash tag keeps one broadcaster's keys in one cluster slot,
/// so a Lua script may touch them together.
/// </summary>
public static class RedisKeys
{
    private const string Prefix = "cp:";

    /// <summary>Pub/sub: <see cref="Streamers.StreamerEvent"/>s (configuration saved, overlay id rotated, reset) for every replica.</summary>
    public const string StreamerEventsChannel = Prefix + "streamer-events";

    /// <summary>Pub/sub: a broadcaster's sentiment snapshots, for the replicas holding overlay sockets.</summary>
    public static string SentimentChannel(string broadcasterId) => $"{Prefix}sentiment:{{{broadcasterId}}}";

    /// <summary>Sorted set: replica id → expiry (Unix ms) of its last heartbeat for this broadcaster's overlays.</summary>
    public static string Presence(string broadcasterId) => $"{Prefix}presence:{{{broadcasterId}}}";

    /// <summary>Hash: replica id → number of overlay sockets it holds for this broadcaster.</summary>
    public static string PresenceSockets(string broadcasterId) => $"{Prefix}presence-sockets:{{{broadcasterId}}}";

    /// <summary>Lock (StackExchange.Redis <c>LockTake</c>): one replica at a time sets up the app's EventSub conduit.</summary>
    public static string EventSubSetupLock(string clientId) => $"{Prefix}eventsub-lock:{clientId}";

    /// <summary>Hash: the conduit, callback and secret hash the app's shard 0 was last verified with.</summary>
    public static string EventSubConduit(string clientId) => $"{Prefix}eventsub-conduit:{clientId}";

    /// <summary>Data Protection key ring shared by all replicas.</summary>
    public const string DataProtectionKeys = Prefix + "data-protection-keys";
}
