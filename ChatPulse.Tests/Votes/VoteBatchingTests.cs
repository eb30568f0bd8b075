using ChatPulse.Api.Overlay;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace ChatPulse.Tests.Votes;

/// <summary>Votes for many channels at once: fewer script calls than channels, every channel's rules kept (the fixture's real Redis).</summary>
[Collection(AppHostCollection.Name)]
public sealed class VoteBatchingTests(AppHostFixture fixture)
{
    private static readonly TimeSpan SeenTtl = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Votes_for_many_channels_at_the_same_moment_share_script_calls_and_keep_every_rule()
    {
        const int channels = 100;
        var t0 = 1_900_000_000_000 + (Random.Shared.Next(0, 1_000_000) * 1000L);
        var ids = Enumerable.Range(0, channels).Select(_ => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString()).ToList();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        var presence = new OverlayPresence(redis, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(t0)));
        await Task.WhenAll(ids.Take(channels - 1).Select(id => presence.HeartbeatAsync(id, "test", 1, 1, default))); // the last is not watched
        var window = new VoteWindow(redis);
        var session = new ProfilingSession();
        redis.RegisterProfiler(() => session);

        var casts = ids.Select(id => new[]
        {
            window.CastAsync(id, "m1", "c1", VoteSide.For, 30, t0, SeenTtl),
            window.CastAsync(id, "m1", "c1", VoteSide.For, 30, t0 + 1, SeenTtl), // the same message again
            window.CastAsync(id, "m2", "c1", VoteSide.Against, 30, t0 + 2, SeenTtl), // the same viewer within 1 s
            window.CastAsync(id, "m3", "c2", VoteSide.Against, 30, t0 + 3, SeenTtl),
        }).ToList();
        var results = await Task.WhenAll(casts.Select(c => Task.WhenAll(c))).WaitAsync(Waits.Short);
        var calls = session.FinishProfiling().Count(c => c.Command is "EVALSHA" or "EVAL");

        Assert.InRange(calls, 1, channels / 4); // one call per channel before votes rode across channels
        Assert.All(results.Take(channels - 1), r => Assert.Equal(
            [VoteOutcome.Applied, VoteOutcome.Duplicate, VoteOutcome.Debounced, VoteOutcome.Applied], r.Select(c => c.Outcome)));
        Assert.All(results[^1], r => Assert.Equal(VoteOutcome.NoViewers, r.Outcome));
        foreach (var id in ids.Take(channels - 1))
        {
            var snapshot = await window.ReadAsync(id, 30, t0 + 10);
            Assert.Equal((1, 1), (snapshot.For, snapshot.Against));
        }
    }
}
