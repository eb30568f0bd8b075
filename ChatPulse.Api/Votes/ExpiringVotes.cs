using System.Collections.Concurrent;
using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>
/// The cluster-wide list of broadcasters whose finite windows still hold votes (<see cref="RedisKeys.VotesExpiring"/>),
/// which <see cref="VoteTicker"/> works through. Registering is throttled per replica to one fire-and-forget
/// ZADD per broadcaster per second, so it adds no round trip to a vote.
/// </summary>
public sealed class ExpiringVotes(IConnectionMultiplexer redis)
{
    private readonly ConcurrentDictionary<string, long> _registered = new(StringComparer.Ordinal);

    /// <summary>A vote cast at <paramref name="castAtMs"/> was applied: a finite window holds it for its memory, then the ticker re-publishes.</summary>
    public void Applied(string broadcasterId, long castAtMs, int? memorySeconds)
    {
        if (memorySeconds is { } seconds)
        {
            // Its bucket leaves the window `seconds` after its second.
            Register(broadcasterId, ((castAtMs / 1000) + seconds + 1) * 1000);
        }
    }

    /// <summary>The broadcaster has votes in its window until <paramref name="untilMs"/> (Unix ms).</summary>
    private void Register(string broadcasterId, long untilMs)
    {
        if (_registered.TryGetValue(broadcasterId, out var known) && untilMs < known + 1000)
        {
            return; // the ticker keeps ticking until `known` + 2 s, which covers this vote
        }

        _registered[broadcasterId] = untilMs;
        redis.GetDatabase().SortedSetAdd(RedisKeys.VotesExpiring, broadcasterId, untilMs, SortedSetWhen.GreaterThan, CommandFlags.FireAndForget);
    }
}
