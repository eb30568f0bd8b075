using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatPulse.Tests.Overlay;

/// <summary>A feed against the AppHost's Redis: what a replica does when it starts serving a broadcaster.</summary>
[Collection(AppHostCollection.Name)]
public sealed class BroadcasterFeedTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task A_new_feed_shows_the_window_read_from_the_sentiment_source_then_live_snapshots_and_presence_until_stopped()
    {
        var streamer = await _scenario.NewStreamerAsync();
        var window = new SentimentSnapshot(streamer.TwitchUserId, 7, 3, At: 1_000);
        using var metrics = new TestMetrics();
        var group = new BroadcasterGroup(streamer.TwitchUserId, OverlayConfiguration.Default, TimeProvider.System, metrics.Metrics);
        var sink = new LatestFrameSink();
        group.TryAdd(sink);
        var replica = new ReplicaIdentity();
        var feed = new BroadcasterFeed(group, new OverlayFeedServices(_scenario.Redis, new FixedWindow(window), new PollState(_scenario.Redis), _scenario.Presence,
            replica, TimeProvider.System, NullLogger.Instance));

        feed.Start(CancellationToken.None);
        await feed.Started.WaitAsync(Waits.Short);
        var seeded = sink.Latest;
        var watchedWhileRunning = await PresenceReads.IsWatchedAsync(_scenario.Redis, streamer.TwitchUserId, TimeProvider.System);
        await _scenario.PublishAsync(window with { For = 8, At = 2_000 });
        await Waits.Until(() => Task.FromResult(sink.Latest.Contains("\"forVotes\":8", StringComparison.Ordinal)), Waits.Short, "the live snapshot");
        await feed.StopAsync();

        Assert.Contains("\"forVotes\":7,\"againstVotes\":3", seeded, StringComparison.Ordinal);
        Assert.True(watchedWhileRunning);
        Assert.False(await PresenceReads.IsWatchedAsync(_scenario.Redis, streamer.TwitchUserId, TimeProvider.System));
        Assert.Equal(0, await _scenario.PublishAsync(window)); // unsubscribed
    }

    private sealed class FixedWindow(SentimentSnapshot window) : ISentimentSource
    {
        public Task<SentimentSnapshot> GetAsync(string broadcasterId, CancellationToken cancellationToken) => Task.FromResult(window);
    }

    private sealed class LatestFrameSink : IOverlaySink
    {
        private volatile string _latest = "";

        public string Latest => _latest;

        public Guid OverlayId { get; } = Guid.NewGuid();

        public void Enqueue(byte[] frame) => _latest = System.Text.Encoding.UTF8.GetString(frame);

        public void EnqueuePing()
        {
        }

        public void RequestClose(int code, string reason)
        {
        }
    }
}
