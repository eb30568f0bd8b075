using System.Text.Json;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Overlay;

public sealed class BroadcasterGroupTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
    private readonly TestMetrics _metrics = new();
    private readonly RecordingSink _sink = new();
    private readonly BroadcasterGroup _group;

    public BroadcasterGroupTests()
    {
        _group = new BroadcasterGroup("42", OverlayConfiguration.Default, _time, _metrics.Metrics);
        _group.TryAdd(_sink);
    }

    public void Dispose()
    {
        _group.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void The_first_change_after_a_quiet_interval_goes_out_at_once()
    {
        _group.Apply(Snapshot(votesFor: 1, at: 1));

        Assert.Equal([1L], _sink.ForVotes());
    }

    [Fact]
    public void A_thousand_changes_in_one_second_make_at_most_21_frames_and_the_last_carries_the_last_state()
    {
        for (var i = 1; i <= 1000; i++)
        {
            _group.Apply(Snapshot(votesFor: i, at: i));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        _time.Advance(OverlayProtocol.FrameInterval);

        Assert.InRange(_sink.Frames.Count, 20, 21); // one at once, then one per 50 ms
        Assert.Equal(1000, _sink.ForVotes()[^1]);
        Assert.Equal(1000 - _sink.Frames.Count, _metrics.Total("chatpulse.overlay.frames.dropped|reason=coalesced"));
    }

    [Fact]
    public void An_older_snapshot_never_replaces_a_newer_one_but_reset_does()
    {
        _group.Apply(Snapshot(votesFor: 5, at: 100));
        _group.Apply(Snapshot(votesFor: 9, at: 50)); // arrived late
        _time.Advance(OverlayProtocol.FrameInterval);
        _group.Apply(SentimentSnapshot.Empty("42", at: 0), force: true);

        Assert.Equal([5L, 0L], _sink.ForVotes());
    }

    [Fact]
    public void A_snapshot_with_the_counts_shown_sends_no_frame_even_as_a_reset()
    {
        _group.Apply(Snapshot(votesFor: 5, at: 100));
        _time.Advance(OverlayProtocol.FrameInterval);
        _group.Apply(Snapshot(votesFor: 5, at: 200)); // a refresh after a Redis reconnect: nothing new
        _group.Apply(Snapshot(votesFor: 5, at: 150), force: true);
        _time.Advance(OverlayProtocol.FrameInterval);
        _group.Apply(Snapshot(votesFor: 6, at: 300));

        Assert.Equal([5L, 6L], _sink.ForVotes());
        Assert.Equal(300, _group.Snapshot.At);
    }

    [Fact]
    public void A_saved_configuration_reaches_the_sockets_and_an_older_version_is_ignored()
    {
        _group.Apply(OverlayConfiguration.Default with { ForLabel = "W", Version = 3 });
        _time.Advance(OverlayProtocol.FrameInterval);
        _group.Apply(OverlayConfiguration.Default with { ForLabel = "stale", Version = 2 });
        _time.Advance(OverlayProtocol.FrameInterval);

        Assert.Equal(["W"], _sink.Frames.Select(f => f.GetProperty("forLabel").GetString()));
    }

    [Fact]
    public void The_last_socket_leaving_closes_the_group_to_newcomers()
    {
        var other = new RecordingSink();

        Assert.True(_group.Remove(_sink));
        Assert.False(_group.TryAdd(other));
        Assert.False(_group.Remove(other));
    }

    private static SentimentSnapshot Snapshot(long votesFor, long at) => new("42", votesFor, 1, at);

    private sealed class RecordingSink : IOverlaySink
    {
        public List<JsonElement> Frames { get; } = [];

        public Guid OverlayId { get; } = Guid.NewGuid();

        public long[] ForVotes() => [.. Frames.Select(f => f.GetProperty("forVotes").GetInt64())];

        public void Enqueue(byte[] frame) => Frames.Add(JsonDocument.Parse(frame).RootElement.Clone());

        public void EnqueuePing()
        {
        }

        public void RequestClose(int code, string reason)
        {
        }
    }
}
