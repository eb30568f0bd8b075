using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// The vote script's poll part on the fixture's Redis, with the clock in the test's hands: a vote replayed from
/// <see cref="VoteBuffer"/> is judged at its cast time against the poll's end, and one batch mixes mood and poll votes.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollScriptTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan SeenTtl = TimeSpan.FromMinutes(10);
    private readonly string _b = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
    private readonly long _t0 = 1_900_000_000_000 + (Random.Shared.Next(0, 1_000_000) * 1000L);
    private ConnectionMultiplexer _redis = null!;
    private VoteWindow _window = null!;
    private PollState _state = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        _window = new VoteWindow(_redis);
        _state = new PollState(_redis);
        // An overlay watching until _t0 + 25 s.
        await new OverlayPresence(_redis, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(_t0 + 10_000))).HeartbeatAsync(_b, "test", 1, 1, default);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_replayed_poll_vote_counts_when_cast_before_the_end_and_is_poll_closed_from_the_end_on()
    {
        var poll = await StartAsync(durationSeconds: 15);
        var later = _t0 + 20_000; // the replay reaches Redis after the end

        var before = await CastAsync("m1", "c1", new PollVote(poll.Id, 1), later, castAt: _t0 + 14_999);
        var atEnd = await CastAsync("m2", "c2", new PollVote(poll.Id, 2), later, castAt: _t0 + 15_000);
        var otherPoll = await CastAsync("m3", "c3", new PollVote(Guid.NewGuid(), 1), _t0 + 1000);
        var noSuchOption = await CastAsync("m4", "c4", new PollVote(poll.Id, 3), _t0 + 1000);
        var again = await CastAsync("m1", "c1", new PollVote(poll.Id, 1), later, castAt: _t0 + 14_999);

        Assert.Equal([VoteOutcome.Applied, VoteOutcome.PollClosed, VoteOutcome.PollClosed, VoteOutcome.PollClosed, VoteOutcome.Duplicate],
            new[] { before, atEnd, otherPoll, noSuchOption, again });
        Assert.Equal(new long[] { 1, 0 }, (await _state.ReadAsync(_b))!.Counts);
    }

    [Fact]
    public async Task One_batch_counts_mood_and_poll_votes_apart_and_publishes_one_counts_message()
    {
        var poll = await StartAsync(durationSeconds: null);
        var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(_b)));
        var now = _t0 + 5000;

        // Sent together, they ride one script call (the lane is idle for the first, the rest wait for the next call).
        var casts = new[]
        {
            _window.CastAsync(_b, "b1", "c1", VoteSide.None, 30, now, SeenTtl, poll: new PollVote(poll.Id, 2)),
            _window.CastAsync(_b, "b2", "c2", VoteSide.None, 30, now, SeenTtl, poll: new PollVote(poll.Id, 2)),
            _window.CastAsync(_b, "b3", "c3", VoteSide.For, 30, now, SeenTtl),
            _window.CastAsync(_b, "b4", "c1", VoteSide.None, 30, now, SeenTtl, poll: new PollVote(poll.Id, 1)),
        };
        var outcomes = (await Task.WhenAll(casts)).Select(c => c.Outcome).ToArray();
        var messages = new List<string>();
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            try
            {
                while (true)
                {
                    messages.Add((string)(await queue.ReadAsync(quiet.Token)).Message!);
                }
            }
            catch (OperationCanceledException)
            {
                // nothing more was published
            }
        }

        await queue.UnsubscribeAsync();
        Assert.Equal([VoteOutcome.Applied, VoteOutcome.Applied, VoteOutcome.Applied, VoteOutcome.AlreadyVoted], outcomes);
        Assert.Equal(new long[] { 0, 2 }, (await _state.ReadAsync(_b))!.Counts);
        Assert.Equal(2, (await _state.ReadAsync(_b))!.Total);
        var counts = messages.Where(m => m.Contains($"\"kind\":\"{PollCountsMessage.KindName}\"", StringComparison.Ordinal)).ToList();
        Assert.InRange(counts.Count, 1, 2); // at most one per script call: the batch took one or two calls
        Assert.Contains($"\"counts\":[0,2],\"total\":2", counts[^1], StringComparison.Ordinal);
        Assert.Equal(1L, (long)await _redis.GetDatabase().HashGetAsync(RedisKeys.VoteWindow(_b), "F"));
    }

    private async Task<PollRecord> StartAsync(int? durationSeconds)
    {
        var definition = new PollDefinition("Q", [new PollOption("A", ["1"]), new PollOption("B", ["2"])], durationSeconds, PollRules.First, 15);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(_t0);
        var poll = new PollRecord(Guid.NewGuid(), Guid.NewGuid(), definition, PollRecord.Running, start,
            durationSeconds is { } d ? start.AddSeconds(d) : null, null, null, null, null);
        Assert.True(await _state.StartAsync(_b, poll, poll.ToView(null), replaces: null));
        return poll;
    }

    private async Task<VoteOutcome> CastAsync(string messageId, string chatterId, PollVote vote, long now, long? castAt = null) =>
        (await _window.CastAsync(_b, messageId, chatterId, VoteSide.None, 30, now, SeenTtl, castAt, vote)).Outcome;
}
