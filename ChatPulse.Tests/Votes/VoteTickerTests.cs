using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Votes;

/// <summary>The ticker against real Redis (its own database, so the running API's ticker lease is elsewhere).</summary>
[Collection(AppHostCollection.Name)]
public sealed class VoteTickerTests(AppHostFixture fixture)
{
    private const int Database = 2;

    [Fact]
    public async Task One_replica_at_a_time_holds_the_ticker_and_a_stopping_one_hands_over()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await InProcessVotes.CreateAsync(fixture, time, Database);
        await using var b = await InProcessVotes.CreateAsync(fixture, time, Database);
        var tickerA = a.Ticker();
        var tickerB = b.Ticker();
        await a.Redis.GetDatabase().KeyDeleteAsync(RedisKeys.VoteTickerLeader);

        Assert.True(await tickerA.TickOnceAsync(default) >= 0);
        Assert.Equal(-1, await tickerB.TickOnceAsync(default));
        Assert.True(await tickerA.TickOnceAsync(default) >= 0); // renews its own lease

        await tickerA.StopAsync(default);

        Assert.True(await tickerB.TickOnceAsync(default) >= 0);
        Assert.Equal(-1, await tickerA.TickOnceAsync(default));
        await tickerB.StopAsync(default);
    }

    [Fact]
    public async Task While_votes_expire_the_ticker_republishes_until_the_bar_is_back_in_the_middle()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var time = new FakeTimeProvider(start);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, Database);
        await using var channel = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis, OverlayConfiguration.Default with { MemorySeconds = 5 });
        var presence = new OverlayPresence(votes.Redis, time);
        await votes.Redis.GetDatabase().KeyDeleteAsync(RedisKeys.VoteTickerLeader);
        var ticker = votes.Ticker();

        await Vote(votes, channel, "c1", "yes");
        await Vote(votes, channel, "c2", "yes");
        time.Advance(TimeSpan.FromSeconds(2));
        await Vote(votes, channel, "c3", "no");
        Assert.Equal((2L, 1L), await LastOfThree(channel)); // each applied vote published its snapshot

        var published = new List<(long, long)>();
        for (var second = 3; second <= 11; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await presence.HeartbeatAsync(channel.BroadcasterId, "overlay-replica", 1, 1, default);
            await ticker.TickOnceAsync(default);
            if (await channel.NextSnapshotOrNullAsync(TimeSpan.FromMilliseconds(150)) is { } snapshot)
            {
                published.Add((snapshot.For, snapshot.Against));
            }
        }

        Assert.Equal([(0L, 1L), (0L, 0L)], published);
        Assert.Null(await votes.Redis.GetDatabase().SortedSetScoreAsync(RedisKeys.VotesExpiring, channel.BroadcasterId));
        await ticker.StopAsync(default);
    }

    private static Task<VoteOutcome> Vote(InProcessVotes votes, VoteTestChannel channel, string chatterId, string text) =>
        votes.Processor.ProcessAsync(new ChatVote(channel.BroadcasterId, chatterId, Guid.NewGuid().ToString(), text, votes.Time.GetUtcNow()), default);

    private static async Task<(long, long)> LastOfThree(VoteTestChannel channel)
    {
        await channel.NextSnapshotAsync();
        await channel.NextSnapshotAsync();
        var last = await channel.NextSnapshotAsync();
        return (last.For, last.Against);
    }
}
