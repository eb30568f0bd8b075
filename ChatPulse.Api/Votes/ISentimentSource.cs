namespace ChatPulse.Api.Votes;

/// <summary>
/// Reads a broadcaster's current vote window. The overlay calls it when a replica starts serving a broadcaster
/// (its first socket) and after "Reset", so a page that connects or reconnects sees the state at once rather than
/// waiting for the next vote. Live changes arrive separately, as <see cref="SentimentSnapshot"/>s on
/// <see cref="Infrastructure.Redis.RedisKeys.SentimentChannel"/>.
/// </summary>
public interface ISentimentSource
{
    /// <summary>The window as it is now; <see cref="SentimentSnapshot.Empty"/> when nobody voted.</summary>
    Task<SentimentSnapshot> GetAsync(string broadcasterId, CancellationToken cancellationToken);
}

/// <summary>
/// Used until the vote store registers its own <see cref="ISentimentSource"/> (it wins: the overlay registers
/// this one with TryAdd). It knows no votes, so it answers an empty window stamped at time 0, which any
/// published snapshot supersedes.
/// </summary>
internal sealed class EmptySentimentSource : ISentimentSource
{
    public Task<SentimentSnapshot> GetAsync(string broadcasterId, CancellationToken cancellationToken) =>
        Task.FromResult(SentimentSnapshot.Empty(broadcasterId, at: 0));
}
