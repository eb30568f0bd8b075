using ChatPulse.Api.Votes;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Votes;

/// <summary><see cref="VoteProcessor.ProcessTestAsync"/>: chat's path for a side given, told apart in the metrics.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TestVoteProcessingTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_test_vote_counts_for_its_side_debounces_by_viewer_and_is_tagged_test_while_chat_is_tagged_chat()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow); // stands still: the second vote is inside the debounce second
        await using var votes = await InProcessVotes.CreateAsync(fixture, time);
        await using var watched = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis);
        await using var unwatched = await VoteTestChannel.CreateAsync(votes.DataSource, votes.Redis, watched: false);
        var now = time.GetUtcNow();

        var chat = await votes.Processor.ProcessAsync(new ChatVote(watched.BroadcasterId, "1", "m1", "yes", now), default);
        var test = await votes.Processor.ProcessTestAsync(new ChatVote(watched.BroadcasterId, "test:a", "test:m2", "no", now), VoteSide.For, default);
        var sameViewer = await votes.Processor.ProcessTestAsync(new ChatVote(watched.BroadcasterId, "test:a", "test:m3", "", now), VoteSide.Against, default);
        var nobodyWatching = await votes.Processor.ProcessTestAsync(new ChatVote(unwatched.BroadcasterId, "test:b", "test:m4", "", now), VoteSide.For, default);

        Assert.Equal((VoteOutcome.Applied, VoteOutcome.Applied, VoteOutcome.Debounced, VoteOutcome.NoViewers), (chat, test, sameViewer, nobodyWatching));
        Assert.Equal((2, 0), await watched.TotalsAsync()); // the side given, not the text ("no")
        Assert.Equal(1, Count(votes, "outcome=applied", "source=chat"));
        Assert.Equal(1, Count(votes, "outcome=applied", "source=test"));
        Assert.Equal(1, Count(votes, "outcome=debounced", "source=test"));
        Assert.Equal(1, Count(votes, "outcome=no_viewers", "source=test"));
        Assert.Equal(4, votes.Measurements.Count(m => m.Instrument == "chatpulse.votes.processed"));
    }

    private static int Count(InProcessVotes votes, string outcome, string source) =>
        votes.Measurements.Count(m => m.Instrument == "chatpulse.votes.processed" && m.Tags.Contains(outcome) && m.Tags.Contains(source));
}
