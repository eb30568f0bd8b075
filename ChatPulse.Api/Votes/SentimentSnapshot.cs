namespace ChatPulse.Api.Votes;

/// <summary>
/// The votes in a broadcaster's window at one instant. Published as JSON on
/// <see cref="Infrastructure.Redis.RedisKeys.SentimentChannel"/> after every applied vote, reset, and while
/// votes expire; the overlay turns it into frames.
/// </summary>
/// <param name="At">Server time of the snapshot, Unix milliseconds.</param>
public sealed record SentimentSnapshot(string BroadcasterId, long For, long Against, long At)
{
    public long Total => For + Against;

    /// <summary>for / (for + against); 0.5 (the middle) when nobody voted.</summary>
    public double ForRatio => Total == 0 ? 0.5 : (double)For / Total;

    public double AgainstRatio => 1 - ForRatio;

    public static SentimentSnapshot Empty(string broadcasterId, long at) => new(broadcasterId, 0, 0, at);
}
