using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Votes;

/// <summary>The overlay's view of a broadcaster's current window, read from the vote store in Redis.</summary>
internal sealed class WindowSentimentSource(ChannelDirectory channels, VoteWindow window, TimeProvider time) : ISentimentSource
{
    public async Task<SentimentSnapshot> GetAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var channel = await channels.GetAsync(broadcasterId, cancellationToken);
        return channel is null
            ? SentimentSnapshot.Empty(broadcasterId, now)
            : await window.ReadAsync(broadcasterId, channel.Configuration.MemorySeconds, now).WaitAsync(cancellationToken);
    }
}
