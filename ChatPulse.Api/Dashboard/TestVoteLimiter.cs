using System.Threading.RateLimiting;
using ChatPulse.Api.Platform;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// Test-vote presses per streamer (their Twitch user id, from the session), on every browser and address alike:
/// bursts of <see cref="Burst"/>, then one every 5 s. In the handler, because the rate-limiting middleware runs
/// before authentication and knows only the client address. Per replica, like every rate limit here.
/// </summary>
public sealed class TestVoteLimiter : IDisposable
{
    public const int Burst = 5;

    public const int PerMinute = 12;

    private readonly PartitionedRateLimiter<string> _presses = PartitionedRateLimiter.Create<string, string>(
        broadcasterId => RateLimitPartition.GetTokenBucketLimiter(broadcasterId, _ => RateLimits.Bucket(Burst, PerMinute)),
        StringComparer.Ordinal);

    /// <summary>Null when the press may go ahead; else the whole seconds to wait (at least 1).</summary>
    public int? TryAcquire(string broadcasterId)
    {
        using var lease = _presses.AttemptAcquire(broadcasterId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60 / PerMinute;
    }

    public void Dispose() => _presses.Dispose();
}
