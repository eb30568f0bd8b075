using System.Text.Json;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// A feed reading what the contract (docs/polls.md) has poll-engine write to the AppHost's Redis: the view key on
/// start and refresh, then the <c>poll</c> and <c>poll-counts</c> messages among the mood snapshots on the
/// sentiment channel.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class BroadcasterFeedPollTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task A_feed_starts_from_the_view_key_then_follows_poll_counts_and_poll_messages_among_the_mood_snapshots()
    {
        var streamer = await _scenario.NewStreamerAsync();
        var bid = streamer.TwitchUserId;
        var poll = TestPolls.Running(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60, "Mario", "Zelda").WithVotes(2, 1);
        await _scenario.Redis.GetDatabase().StringSetAsync(RedisKeys.PollView(bid), Json(poll), TimeSpan.FromMinutes(5));
        using var metrics = new TestMetrics();
        var group = new BroadcasterGroup(bid, OverlayConfiguration.Default, TimeProvider.System, metrics.Metrics);
        var sink = new Sink();
        group.TryAdd(sink);
        var feed = new BroadcasterFeed(group, new OverlayFeedServices(_scenario.Redis, new EmptyWindow(), new PollState(_scenario.Redis), _scenario.Presence,
            new ReplicaIdentity(), TimeProvider.System, NullLogger.Instance));

        feed.Start(CancellationToken.None);
        await feed.Started.WaitAsync(Waits.Short);
        var started = JsonDocument.Parse(group.CurrentFrame()).RootElement.GetProperty("poll"); // what a joining socket gets

        await PublishAsync(bid, $$"""{"kind":"poll-counts","broadcasterId":"{{bid}}","pollId":"{{Guid.NewGuid()}}","counts":[9,9],"total":18,"at":1}""");
        await PublishAsync(bid, $$$"""{"kind":"poll","broadcasterId":"{{{bid}}}","view":{"id":"{{{poll.Id}}}"}}"""); // no options: not a view
        await PublishAsync(bid, "not json");
        await PublishAsync(bid, $$"""{"kind":"poll-counts","broadcasterId":"{{bid}}","pollId":"{{poll.Id}}","counts":[3,1],"total":4,"at":2}""");
        await _scenario.PublishAsync(streamer, votesFor: 5, votesAgainst: 0);
        await Until(sink, f => f.GetProperty("forVotes").GetInt64() == 5, "the mood snapshot after the counts");
        var counted = sink.Poll();

        var ended = poll.WithVotes(3, 1).Ended(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), showUntil: null);
        await PublishAsync(bid, $$"""{"kind":"poll","broadcasterId":"{{bid}}","view":{{Json(ended)}}}""");
        await Until(sink, f => f.GetProperty("poll") is { ValueKind: JsonValueKind.Object } p && p.GetProperty("state").GetString() == "ended", "the end");
        await PublishAsync(bid, $$"""{"kind":"poll","broadcasterId":"{{bid}}","view":null}""");
        await Until(sink, f => f.GetProperty("poll").ValueKind == JsonValueKind.Null, "the dismissal");
        await feed.StopAsync();

        Assert.Equal((poll.Id, 3L), (started.GetProperty("id").GetGuid(), started.GetProperty("totalVotes").GetInt64()));
        Assert.Equal([3L, 1L], counted.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes").GetInt64()));
        Assert.Equal(5L, sink.Latest.GetProperty("forVotes").GetInt64()); // the mood kept counting underneath
    }

    private static string Json(PollView view) => JsonSerializer.Serialize(view, JsonSerializerOptions.Web);

    private Task<long> PublishAsync(string broadcasterId, string message) =>
        _scenario.Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(broadcasterId)), message);

    private static Task Until(Sink sink, Func<JsonElement, bool> condition, string what) =>
        Waits.Until(() => Task.FromResult(sink.HasFrame && condition(sink.Latest)), Waits.Short, what);

    private sealed class EmptyWindow : ISentimentSource
    {
        public Task<SentimentSnapshot> GetAsync(string broadcasterId, CancellationToken cancellationToken) =>
            Task.FromResult(SentimentSnapshot.Empty(broadcasterId, at: 0)); // the window is not what this test is about
    }

    private sealed class Sink : IOverlaySink
    {
        private volatile byte[]? _latest;

        public bool HasFrame => _latest is not null;

        public JsonElement Latest => JsonDocument.Parse(_latest!).RootElement.Clone();

        public Guid OverlayId { get; } = Guid.NewGuid();

        public JsonElement Poll() => Latest.GetProperty("poll");

        public void Enqueue(byte[] frame) => _latest = frame;

        public void EnqueuePing()
        {
        }

        public void RequestClose(int code, string reason)
        {
        }
    }
}
