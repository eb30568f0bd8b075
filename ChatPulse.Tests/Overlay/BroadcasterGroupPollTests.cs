using System.Text.Json;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Overlay;

/// <summary>The poll beside the mood snapshot in a broadcaster's group: its frames, its counts, its end.</summary>
public sealed class BroadcasterGroupPollTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
    private readonly TestMetrics _metrics = new();
    private readonly List<JsonElement> _frames = [];
    private readonly BroadcasterGroup _group;

    public BroadcasterGroupPollTests()
    {
        _group = new BroadcasterGroup("42", OverlayConfiguration.Default, _time, _metrics.Metrics);
        _group.TryAdd(new FrameSink(_frames));
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _group.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void A_frame_carries_the_poll_beside_the_mood_and_the_servers_clock()
    {
        var poll = TestPolls.Running(Now, 60, "Mario", "Zelda");
        _time.Advance(TimeSpan.FromSeconds(3));

        _group.Apply(poll);

        var frame = _frames.Single();
        Assert.Equal(Now, frame.GetProperty("serverTime").GetInt64());
        Assert.Equal(poll.Id, frame.GetProperty("poll").GetProperty("id").GetGuid());
        Assert.Equal(poll.EndsAt, frame.GetProperty("poll").GetProperty("endsAt").GetInt64());
        Assert.Equal(["Mario", "Zelda"], frame.GetProperty("poll").GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()));
        Assert.Equal(0.5, frame.GetProperty("forRatio").GetDouble()); // the mood is still there
    }

    [Fact]
    public void Counts_apply_to_the_running_poll_they_belong_to_and_stale_or_foreign_ones_are_dropped()
    {
        var poll = TestPolls.Running(Now, 60, "A", "B", "C");
        _group.Apply(poll);

        Assert.True(_group.Apply(new PollCounts(poll.Id, [3, 1, 0], 4, At: Now + 10)));
        _time.Advance(OverlayProtocol.FrameInterval);
        Assert.False(_group.Apply(new PollCounts(poll.Id, [1, 0, 0], 1, At: Now + 5))); // overtaken by the one above
        Assert.False(_group.Apply(new PollCounts(Guid.NewGuid(), [9, 9, 9], 27, At: Now + 20))); // another poll's
        Assert.False(_group.Apply(new PollCounts(poll.Id, [9, 9], 18, At: Now + 20))); // not this poll's shape
        // A vote moved (rule last: the same total), stamped by a replica whose clock lags: newer, so applied.
        Assert.True(_group.Apply(new PollCounts(poll.Id, [2, 2, 0], 4, At: Now + 1)));
        Assert.Equal([2L, 2L, 0L], Votes(JsonDocument.Parse(_group.CurrentFrame()).RootElement));
        _group.Apply(poll.WithVotes(5, 1, 0).Ended(Now + 30, showUntil: null));
        Assert.False(_group.Apply(new PollCounts(poll.Id, [6, 1, 0], 7, At: Now + 40))); // after the end
        _time.Advance(OverlayProtocol.FrameInterval);

        var shown = JsonDocument.Parse(_group.CurrentFrame()).RootElement.GetProperty("poll");
        Assert.Equal([5L, 1L, 0L], shown.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes").GetInt64()));
        Assert.Equal((6L, "ended"), (shown.GetProperty("totalVotes").GetInt64(), shown.GetProperty("state").GetString()));
        Assert.Equal([[0L, 0L, 0L], [3L, 1L, 0L], [5L, 1L, 0L]], _frames.Select(Votes)); // nothing sent for the dropped; [2, 2, 0] coalesced
    }

    [Fact]
    public void A_thousand_counts_in_one_second_make_at_most_21_frames_and_the_last_carries_the_last_counts()
    {
        var poll = TestPolls.Running(Now, 60, "A", "B");
        _group.Apply(poll);
        _time.Advance(OverlayProtocol.FrameInterval);
        _frames.Clear();

        for (var i = 1; i <= 1000; i++)
        {
            _group.Apply(new PollCounts(poll.Id, [i, 1], i + 1, At: Now));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        _time.Advance(OverlayProtocol.FrameInterval);

        Assert.InRange(_frames.Count, 20, 21);
        Assert.Equal([1000L, 1L], Votes(_frames[^1]));
    }

    [Fact]
    public void A_result_is_sent_until_its_show_until_and_a_socket_joining_later_gets_the_mood_bar()
    {
        var poll = TestPolls.Running(Now - 60_000, 60, "A", "B").WithVotes(2, 2);
        _group.Apply(poll.Ended(Now, showUntil: Now + 15_000));
        _time.Advance(TimeSpan.FromSeconds(14));
        var before = JsonDocument.Parse(_group.CurrentFrame()).RootElement;

        _time.Advance(TimeSpan.FromSeconds(1));
        var after = JsonDocument.Parse(_group.CurrentFrame()).RootElement;

        Assert.Equal([0, 1], before.GetProperty("poll").GetProperty("winners").EnumerateArray().Select(w => w.GetInt32())); // a tie
        Assert.Equal(JsonValueKind.Null, after.GetProperty("poll").ValueKind);
        Assert.Null(_group.State.Poll);
    }

    [Fact]
    public void A_result_kept_until_dismissed_stays_until_a_view_without_poll_arrives()
    {
        var poll = TestPolls.Running(Now - 60_000, 60, "A", "B").WithVotes(1, 0).Ended(Now, showUntil: null);
        _group.Apply(poll);
        _time.Advance(TimeSpan.FromHours(2));
        var kept = JsonDocument.Parse(_group.CurrentFrame()).RootElement.GetProperty("poll");

        _group.Apply((PollView?)null);

        Assert.Equal(poll.Id, kept.GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, _frames[^1].GetProperty("poll").ValueKind);
    }

    [Fact]
    public void A_view_read_that_a_poll_message_overtook_is_dropped_so_the_started_poll_stays_shown()
    {
        var poll = TestPolls.Running(Now, 60, "A", "B");
        var read = _group.StartPollRead();

        _group.Apply(poll); // the start's message, while the read (made before the start) was on its way
        _group.ApplyRead(null, read);
        var shown = _group.State.Poll;
        _group.ApplyRead(poll.WithVotes(2, 1), _group.StartPollRead()); // a read nothing overtook

        Assert.Equal(poll.Id, shown?.Id);
        Assert.Equal(3, _group.State.Poll?.TotalVotes);
    }

    [Fact]
    public void Of_two_reads_the_later_started_wins()
    {
        var poll = TestPolls.Running(Now, 60, "A", "B");
        _group.Apply(poll);
        var older = _group.StartPollRead();
        var newer = _group.StartPollRead();

        _group.ApplyRead(poll.WithVotes(1, 1).Ended(Now, showUntil: null), newer);
        _group.ApplyRead(poll.WithVotes(1, 0), older); // slower, and older: the poll stays ended

        Assert.Equal((PollView.Ended, 2L), (_group.State.Poll?.State, _group.State.Poll?.TotalVotes));
    }

    [Fact]
    public void A_read_overtaken_by_counts_is_taken_only_when_higher_and_without_counts_it_is_the_truth()
    {
        var poll = TestPolls.Running(Now, 60, "A", "B");
        _group.Apply(poll);

        var beforeVote = _group.StartPollRead();
        _group.Apply(new PollCounts(poll.Id, [1, 4], 5, At: Now)); // a changed vote (rule "last"): same total, new split
        _group.ApplyRead(poll.WithVotes(4, 1), beforeVote);
        var afterMove = Votes(JsonDocument.Parse(_group.CurrentFrame()).RootElement);
        var beforeMore = _group.StartPollRead();
        _group.Apply(new PollCounts(poll.Id, [1, 5], 6, At: Now));
        _group.ApplyRead(poll.WithVotes(2, 5), beforeMore); // counted later than the message: higher, taken
        var afterMore = Votes(JsonDocument.Parse(_group.CurrentFrame()).RootElement);
        _group.ApplyRead(poll.WithVotes(1, 1), _group.StartPollRead()); // Redis restored from older data, nothing since

        Assert.Equal([1L, 4L], afterMove);
        Assert.Equal([2L, 5L], afterMore);
        Assert.Equal(2, _group.State.Poll?.TotalVotes);
    }

    [Fact]
    public void A_result_shown_again_with_a_new_show_until_sends_a_frame_and_a_restored_group_shows_it_to_a_newcomer()
    {
        var ended = TestPolls.Running(Now - 60_000, 60, "A", "B").WithVotes(2, 1).Ended(Now, showUntil: Now + 15_000);
        _group.Apply(ended);
        _time.Advance(OverlayProtocol.FrameInterval);
        _group.Apply(ended with { ShowUntil = Now + 15_000 }); // "Show again"
        _time.Advance(OverlayProtocol.FrameInterval);
        var frames = _frames.Count;
        using var restored = new BroadcasterGroup("42", OverlayConfiguration.Default, _time, _metrics.Metrics);

        restored.Restore(_group.State);

        Assert.Equal(2, frames);
        Assert.Equal(ended.Id, JsonDocument.Parse(restored.CurrentFrame()).RootElement.GetProperty("poll").GetProperty("id").GetGuid());
    }

    [Fact]
    public void A_read_that_finds_the_poll_shown_sends_no_frame()
    {
        var poll = TestPolls.Running(Now, 60, "A", "B").WithVotes(2, 1);
        _group.Apply(poll);
        _time.Advance(OverlayProtocol.FrameInterval);
        var frames = _frames.Count;

        _group.ApplyRead(poll with { Options = [.. poll.Options] }, _group.StartPollRead()); // equal, not the same instance
        _time.Advance(OverlayProtocol.FrameInterval);
        _group.ApplyRead(poll.WithVotes(2, 2), _group.StartPollRead());

        Assert.Equal(frames + 1, _frames.Count);
        Assert.Equal([2L, 2L], Votes(_frames[^1]));
    }

    private static long[] Votes(JsonElement frame) =>
        [.. frame.GetProperty("poll").GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes").GetInt64())];

    private sealed class FrameSink(List<JsonElement> frames) : IOverlaySink
    {
        public Guid OverlayId { get; } = Guid.NewGuid();

        public void Enqueue(byte[] frame) => frames.Add(JsonDocument.Parse(frame).RootElement.Clone());

        public void EnqueuePing()
        {
        }

        public void RequestClose(int code, string reason)
        {
        }
    }
}
