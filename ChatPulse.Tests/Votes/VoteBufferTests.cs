using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Votes;

/// <summary>The buffer's bounds and order, on the test's clock.</summary>
public sealed class VoteBufferTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TestMetrics _metrics = new();
    private readonly VoteBuffer _buffer;

    public VoteBufferTests() => _buffer = new VoteBuffer(_time, _metrics.Metrics);

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public void It_holds_at_most_its_capacity_and_drops_the_next_vote_as_full()
    {
        for (var i = 0; i < VoteBuffer.Capacity; i++)
        {
            Assert.Equal(VoteOutcome.Buffered, _buffer.Add(Vote($"b{i % 200}", $"m{i}")));
        }

        Assert.Equal(VoteOutcome.Dropped, _buffer.Add(Vote("b0", "one-too-many")));
        Assert.Equal(VoteBuffer.Capacity, _buffer.Count);
        Assert.Equal(VoteBuffer.Capacity, _metrics.Total("chatpulse.votes.buffered"));
        Assert.Equal(1, _metrics.Total("chatpulse.votes.dropped|reason=full"));
        Assert.Equal(VoteBuffer.Capacity, _metrics.Total("chatpulse.votes.buffer.size"));
    }

    [Fact]
    public void Votes_older_than_the_maximum_age_are_dropped_as_too_old()
    {
        _buffer.Add(Vote("b1", "old"));
        _time.Advance(VoteBuffer.MaxAge / 2);
        _buffer.Add(Vote("b1", "young"));
        _buffer.Add(Vote("b2", "young"));

        _time.Advance((VoteBuffer.MaxAge / 2) + TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, _buffer.DropTooOld());
        Assert.Equal(2, _buffer.Count);
        Assert.Equal(1, _metrics.Total("chatpulse.votes.dropped|reason=too_old"));
        Assert.Equal(["young"], Drain("b1").Select(v => v.ChatMessageId));
    }

    [Fact]
    public void A_redelivery_of_a_held_message_is_a_duplicate_and_kept_once()
    {
        Assert.Equal(VoteOutcome.Buffered, _buffer.Add(Vote("b1", "m1")));
        Assert.Equal(VoteOutcome.Duplicate, _buffer.Add(Vote("b1", "m1")));
        Assert.Equal(VoteOutcome.Buffered, _buffer.Add(Vote("b2", "m1"))); // shared chat: another channel's copy

        Assert.Equal(2, _buffer.Count);
    }

    [Fact]
    public void A_live_vote_queues_behind_its_broadcasters_buffered_votes_only()
    {
        _buffer.Add(Vote("b1", "m1"));

        Assert.Equal(VoteOutcome.Buffered, _buffer.AddIfWaiting(Vote("b1", "m2")));
        Assert.Null(_buffer.AddIfWaiting(Vote("b2", "m3")));
        Assert.Equal(["m1", "m2"], Drain("b1").Select(v => v.ChatMessageId));
    }

    [Fact]
    public void Votes_are_replayed_in_order_and_a_retried_one_waits_first_in_line()
    {
        for (var i = 0; i < 5; i++)
        {
            _buffer.Add(Vote("b1", $"m{i}"));
        }

        var drain = Assert.Single(_buffer.StartDrains());
        Assert.Empty(_buffer.StartDrains()); // one drain per broadcaster at a time
        var first = _buffer.TakeDue("b1", drain.Drain, 3);
        Assert.Equal(["m0", "m1", "m2"], first.Select(v => v.ChatMessageId));
        Assert.Empty(_buffer.TakeDue("b1", drain.Drain + 1, 3)); // another drain takes nothing

        var retryAt = _time.GetUtcNow().AddSeconds(1).ToUnixTimeMilliseconds();
        _buffer.Finish("b1", drain.Drain, [first[1]], retryAt, endDrain: true);

        Assert.Equal(3, _buffer.Count);
        Assert.Empty(_buffer.StartDrains()); // m1 heads the line and is not due yet
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["m1", "m3", "m4"], Drain("b1").Select(v => v.ChatMessageId));
        Assert.Equal(VoteOutcome.Buffered, _buffer.Add(Vote("b1", "m0"))); // done, so no longer held
    }

    [Fact]
    public void On_shutdown_every_held_vote_is_dropped_with_that_reason()
    {
        _buffer.Add(Vote("b1", "m1"));
        _buffer.Add(Vote("b2", "m2"));

        Assert.Equal(2, _buffer.DropAll());
        Assert.Equal(0, _buffer.Count);
        Assert.Equal(2, _metrics.Total("chatpulse.votes.dropped|reason=shutdown"));
        Assert.Equal(0, _metrics.Total("chatpulse.votes.buffer.size"));
    }

    [Fact]
    public void A_vote_that_arrives_after_the_shutdown_drop_is_dropped_with_that_reason_not_kept_unseen()
    {
        _buffer.DropAll();

        Assert.Equal(VoteOutcome.Dropped, _buffer.Add(Vote("b1", "m1"))); // e.g. a late Redis answer that failed after it
        Assert.Equal(0, _buffer.Count);
        Assert.Equal(1, _metrics.Total("chatpulse.votes.dropped|reason=shutdown"));
    }

    [Fact]
    public void Presence_settles_for_a_heartbeat_and_a_second_after_redis_returns()
    {
        Assert.False(_buffer.PresenceSettling);

        _buffer.RedisReturned();
        _time.Advance(VoteBuffer.PresenceSettle - TimeSpan.FromMilliseconds(1));
        Assert.True(_buffer.PresenceSettling);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_buffer.PresenceSettling);
    }

    // Starts the broadcaster's drain and takes what is due.
    private List<BufferedVote> Drain(string broadcasterId) =>
        _buffer.TakeDue(broadcasterId, _buffer.StartDrains().Single(d => d.BroadcasterId == broadcasterId).Drain, 10);

    private BufferedVote Vote(string broadcasterId, string messageId) =>
        new(broadcasterId, messageId, $"c-{messageId}", VoteSide.For, 30, _time.GetUtcNow().ToUnixTimeMilliseconds(), _time.GetUtcNow());
}
