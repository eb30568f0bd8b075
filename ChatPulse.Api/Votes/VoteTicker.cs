using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>
/// Re-publishes snapshots while votes expire, so an overlay drifts back to the middle when chat goes quiet.
/// One ticker for the whole cluster (<see cref="ClusterTicker"/>, lease <see cref="RedisKeys.VoteTickerLeader"/>):
/// only the lease holder ticks the broadcasters in <see cref="RedisKeys.VotesExpiring"/>.
/// </summary>
public sealed class VoteTicker(IConnectionMultiplexer redis, VoteWindow window, ChannelDirectory directory,
    ReplicaIdentity replica, TimeProvider time, ILogger<VoteTicker> logger)
    : ClusterTicker(redis, RedisKeys.VoteTickerLeader, replica, time, logger)
{
    // A broadcaster stays on the list this long past its last vote's expiry, so the final tick publishes the empty window.
    private const long GraceMs = 2000;

    /// <summary>One tick's work: the number of broadcasters ticked.</summary>
    protected override async Task<int> WorkAsync(CancellationToken cancellationToken)
    {
        var db = Redis.GetDatabase();
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await db.SortedSetRangeByScoreAsync(RedisKeys.VotesExpiring, now - GraceMs, double.PositiveInfinity);
        var ticks = new List<Task>(due.Length);
        foreach (var member in due)
        {
            var broadcasterId = member.ToString();
            var channel = await directory.GetAsync(broadcasterId, cancellationToken);
            if (channel?.Configuration.MemorySeconds is { } memory)
            {
                ticks.Add(window.TickAsync(broadcasterId, memory, now)); // pipelined
            }
        }

        await Task.WhenAll(ticks);
        await db.SortedSetRemoveRangeByScoreAsync(RedisKeys.VotesExpiring, double.NegativeInfinity, now - GraceMs, Exclude.Stop);
        return due.Length;
    }
}
