using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Votes;

namespace ChatPulse.Tests.Dashboard;

/// <summary>What each test-vote button sends (<see cref="TestVotes.Sides"/>).</summary>
public sealed class TestVoteKindsTests
{
    [Fact]
    public void Plus_ten_sends_ten_votes_of_its_side()
    {
        Assert.Equal(Enumerable.Repeat(VoteSide.For, 10), TestVotes.Sides("for", new Random(1)));
        Assert.Equal(Enumerable.Repeat(VoteSide.Against, 10), TestVotes.Sides("against", new Random(1)));
    }

    [Fact]
    public void A_burst_sends_20_to_40_votes_of_both_sides()
    {
        var bursts = Enumerable.Range(0, 200).Select(seed => TestVotes.Sides("burst", new Random(seed))).ToList();

        Assert.All(bursts, b => Assert.InRange(b.Length, TestVotes.BurstMinVotes, TestVotes.BurstMaxVotes));
        Assert.All(bursts, b => Assert.DoesNotContain(VoteSide.None, b));
        Assert.Contains(bursts, b => b.Count(s => s == VoteSide.For) > b.Length / 2);
        Assert.Contains(bursts, b => b.Count(s => s == VoteSide.Against) > b.Length / 2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("FOR")]
    [InlineData("everyone")]
    public void An_unknown_kind_sends_nothing(string kind) => Assert.Empty(TestVotes.Sides(kind, new Random(1)));
}
