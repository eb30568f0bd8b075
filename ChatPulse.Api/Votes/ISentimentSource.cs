namespace ChatPulse.Api.Votes;

/// <summary>
/// Reads a broadcaster's current vote window. The overlay calls it when a replica starts serving a broadcaster
/// (its first socket) and after "Reset", so a page that connects or reconnects sees the state at once rather than
/// waiting for the next vote. Live changes arrive separately, as <see cref="SentimentSnapshot"/>s on
/// <see cref="Infrastructure.Redis.RedisKeys.SentimentChannel"/>. An interface for one seam: BroadcasterFeedTests' fixed window.
/// </summary>
public interface ISentimentSource
{
    /// <summary>The window as it is now; <see cref="SentimentSnapshot.Empty"/> when nobody voted.</summary>
    Task<SentimentSnapshot> GetAsync(string broadcasterId, CancellationToken cancellationToken);
}
