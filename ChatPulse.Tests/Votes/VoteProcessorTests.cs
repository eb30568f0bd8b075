using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatPulse.Tests.Votes;

[Collection(AppHostCollection.Name)]
public sealed class VoteProcessorTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Every_outcome_is_counted_by_tag_with_a_duration()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time);
        await using var watched = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis);
        await using var unwatched = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis, watched: false);

        Assert.Equal(VoteOutcome.Applied, await Process(votes, watched, "m1", "c1", "yes"));
        Assert.Equal(VoteOutcome.Duplicate, await Process(votes, watched, "m1", "c1", "yes"));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(VoteOutcome.Debounced, await Process(votes, watched, "m2", "c1", "no"));
        Assert.Equal(VoteOutcome.NoMatch, await Process(votes, watched, "m3", "c2", "maybe"));
        Assert.Equal(VoteOutcome.NoViewers, await Process(votes, unwatched, "m4", "c3", "no"));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(VoteOutcome.Applied, await Process(votes, watched, "m5", "c1", "no"));

        foreach (var (tag, count) in new[] { ("applied", 2), ("duplicate", 1), ("debounced", 1), ("no_match", 1), ("no_viewers", 1) })
        {
            Assert.Equal(count, votes.Count("chatpulse.votes.processed", $"outcome={tag}"));
        }

        Assert.Equal(6, votes.Measurements.Count(m => m.Instrument == "chatpulse.vote.duration"));
        Assert.Equal((1, 1), await watched.TotalsAsync());
    }

    [Fact]
    public async Task When_redis_is_unreachable_the_vote_is_buffered_not_lost()
    {
        var unreachable = "127.0.0.1:1,connectTimeout=200,abortConnect=false";
        await using var votes = await InProcessVotes.CreateAsync(fixture, TimeProvider.System, redisConnectionString: unreachable);
        votes.Redis.GetDatabase(); // never connects
        await using var healthy = await InProcessVotes.CreateAsync(fixture, TimeProvider.System);
        await using var channel = await VoteTestChannel.CreateAsync(healthy.DataSource, healthy.Redis);

        var outcome = await Process(votes, channel, "m1", "c1", "yes").WaitAsync(Waits.Short);
        var again = await Process(votes, channel, "m1", "c1", "yes").WaitAsync(Waits.Short); // Twitch redelivers it

        Assert.Equal((VoteOutcome.Buffered, VoteOutcome.Duplicate), (outcome, again));
        Assert.Equal(1, votes.Buffer.Count);
        Assert.Equal(1, votes.Count("chatpulse.votes.processed", "outcome=buffered"));
        Assert.Equal(1, votes.Count("chatpulse.votes.processed", "outcome=duplicate"));
        Assert.Equal(1, votes.Measurements.Count(m => m.Instrument == "chatpulse.votes.buffered"));
    }

    [Fact]
    public async Task An_applied_vote_in_a_finite_window_puts_the_broadcaster_on_the_tickers_list_until_it_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, redisDatabase: 3);
        await using var finite = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis, OverlayConfiguration.Default with { MemorySeconds = 20 });
        await using var infinite = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis, OverlayConfiguration.Default with { MemorySeconds = null });

        await Process(votes, finite, "m1", "c1", "yes");
        await Process(votes, infinite, "m2", "c1", "yes");

        var second = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
        Assert.Equal((second + 21) * 1000, await votes.Redis.GetDatabase().SortedSetScoreAsync(RedisKeys.VotesExpiring, finite.BroadcasterId));
        Assert.Null(await votes.Redis.GetDatabase().SortedSetScoreAsync(RedisKeys.VotesExpiring, infinite.BroadcasterId));
    }

    private static Task<VoteOutcome> Process(InProcessVotes votes, VoteTestChannel channel, string messageId, string chatterId, string text) =>
        votes.Processor.ProcessAsync(new ChatVote(channel.BroadcasterId, chatterId, messageId, text, votes.Time.GetUtcNow()), default);
}
