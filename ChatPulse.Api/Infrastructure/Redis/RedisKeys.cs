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
    /// <summary>Hash: a broadcaster's vote window — totals <c>F</c>/<c>A</c>, per-second buckets <c>&lt;second&gt;f</c>/<c>&lt;second&gt;a</c>,
    /// the expiry cursor <c>c</c> and, for an infinite window, the folded older votes <c>bf</c>/<c>ba</c>.</summary>
    public static string VoteWindow(string broadcasterId) => $"{Prefix}votes:{{{broadcasterId}}}";

    /// <summary>String: this chat message was counted for this broadcaster (EventSub redelivery, shared-chat copy).</summary>
    public static string VoteSeen(string broadcasterId, string chatMessageId) => $"{Prefix}vote-seen:{{{broadcasterId}}}:{chatMessageId}";

    /// <summary>String: Unix ms of the chatter's last applied vote in this channel (one vote per viewer per second).</summary>
    public static string VoteDebounce(string broadcasterId, string chatterId) => $"{Prefix}vote-debounce:{{{broadcasterId}}}:{chatterId}";

    /// <summary>Sorted set: broadcaster id → Unix ms when its newest vote leaves a finite window; the ticker's work list.</summary>
    public const string VotesExpiring = Prefix + "votes-expiring";

    /// <summary>String: the replica id that runs the cluster's one vote ticker (a lease).</summary>
    public const string VoteTickerLeader = Prefix + "votes-ticker-leader";

    // The mood timeline (Timeline/TimelineRecorder.cs): one key per interval for the whole cluster, keyed by its end.

    /// <summary>Hash: one interval's activity, <c>v:&lt;bid&gt;</c> mood votes applied (every replica adds its own),
    /// <c>f:&lt;bid&gt;</c>/<c>a:&lt;bid&gt;</c> the window's totals at the interval's end.</summary>
    public static string TimelineInterval(long endMs) => $"{Prefix}timeline:{endMs}";

    /// <summary>String: the replica that writes this interval's points to Postgres (set once, NX).</summary>
    public static string TimelineWriter(long endMs) => $"{Prefix}timeline-writer:{endMs}";

    /// <summary>String: an EventSub delivery (message id) other than a chat vote was handled, e.g. a revocation.</summary>
    public static string EventSubDelivery(string messageId) => $"{Prefix}eventsub-delivery:{messageId}";

    // Polls (docs/polls.md).

    /// <summary>Hash: the live state of a broadcaster's running (or just ended) poll — <c>id</c>, <c>n</c>, <c>rule</c>,
    /// <c>start</c>, <c>ends</c> (Unix ms, 0 = open), <c>state</c>, votes <c>c1</c>..<c>cN</c>, <c>total</c>, votes per minute <c>m&lt;k&gt;</c>.</summary>
    public static string Poll(string broadcasterId) => $"{Prefix}poll:{{{broadcasterId}}}";

    /// <summary>Hash: chatter id → the 1-based option they voted for in this poll.</summary>
    public static string PollVoters(string broadcasterId, string pollId) => $"{Prefix}poll-voters:{{{broadcasterId}}}:{pollId}";

    /// <summary>String: the JSON <see cref="Polls.PollView"/> the overlay shows now (absent: the mood bar); its TTL ends a shown result.</summary>
    public static string PollView(string broadcasterId) => $"{Prefix}poll-view:{{{broadcasterId}}}";

    /// <summary>Sorted set: broadcaster id → Unix ms when its poll is due to end (+inf: open); the poll ticker's work list.</summary>
    public const string PollsDue = Prefix + "polls-due";

    /// <summary>String: the replica id that ends the cluster's polls (a lease).</summary>
    public const string PollTickerLeader = Prefix + "polls-ticker-leader";
}
