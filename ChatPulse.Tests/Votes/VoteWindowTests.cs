using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatPulse.Tests.Votes;

/// <summary>The vote script against the fixture's real Redis, with "now" chosen by the test.</summary>
[Collection(AppHostCollection.Name)]
public sealed class VoteWindowTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan SeenTtl = TimeSpan.FromMinutes(10);
    private readonly string _b = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
    private readonly long _t0 = 1_900_000_000_000 + (Random.Shared.Next(0, 1_000_000) * 1000L); // on a second boundary
    private ConnectionMultiplexer _redis = null!;
    private VoteWindow _window = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        _window = new VoteWindow(_redis);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Outcomes_applied_duplicate_debounced_and_no_viewers()
    {
        Assert.Equal(VoteOutcome.NoViewers, (await Cast("m0", "c1", VoteSide.For, 30, _t0)).Outcome);
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(RedisKeys.VoteWindow(_b))); // no state for an unwatched channel

        await WatchAsync(_t0);
        Assert.Equal(new VoteCast(VoteOutcome.Applied, 1, 0), await Cast("m1", "c1", VoteSide.For, 30, _t0));
        Assert.Equal(VoteOutcome.Duplicate, (await Cast("m1", "c1", VoteSide.For, 30, _t0 + 5000)).Outcome);
        Assert.Equal(VoteOutcome.Debounced, (await Cast("m2", "c1", VoteSide.Against, 30, _t0 + 999)).Outcome);
        Assert.Equal(new VoteCast(VoteOutcome.Applied, 1, 1), await Cast("m3", "c2", VoteSide.Against, 30, _t0 + 999));
        Assert.Equal(new VoteCast(VoteOutcome.Applied, 1, 2), await Cast("m4", "c1", VoteSide.Against, 30, _t0 + 1000));
    }

    [Fact]
    public async Task Votes_leave_the_window_after_memory_seconds()
    {
        await WatchAsync(_t0);
        await Cast("m1", "c1", VoteSide.For, 5, _t0);
        await Cast("m2", "c2", VoteSide.For, 5, _t0 + 400);
        await Cast("m3", "c3", VoteSide.Against, 5, _t0 + 3000);

        Assert.Equal((2, 1), Totals(await _window.ReadAsync(_b, 5, _t0 + 4999)));
        Assert.Equal((0, 1), Totals(await _window.ReadAsync(_b, 5, _t0 + 5000)));
        Assert.Equal((0, 0), Totals(await _window.ReadAsync(_b, 5, _t0 + 8000)));
    }

    [Fact]
    public async Task After_hours_of_silence_old_buckets_are_gone_and_new_votes_count()
    {
        await WatchAsync(_t0);
        await Cast("m1", "c1", VoteSide.For, 30, _t0);
        var later = _t0 + (3 * 3600 * 1000);
        await WatchAsync(later);

        Assert.Equal(new VoteCast(VoteOutcome.Applied, 0, 1), await Cast("m2", "c1", VoteSide.Against, 30, later));
    }

    [Fact]
    public async Task Infinite_memory_keeps_every_vote_in_bounded_space_until_the_window_becomes_finite()
    {
        for (var i = 0; i < 300; i++)
        {
            var now = _t0 + (i * 20_000L); // one vote every 20 s for 100 minutes
            await WatchAsync(now);
            await Cast($"m{i}", $"c{i}", i % 3 == 0 ? VoteSide.Against : VoteSide.For, null, now);
        }

        var end = _t0 + (299 * 20_000L);
        Assert.Equal((200, 100), Totals(await _window.ReadAsync(_b, null, end + 1_000)));
        Assert.InRange(await _redis.GetDatabase().HashLengthAsync(RedisKeys.VoteWindow(_b)), 1, (2 * (VoteScripts.InfiniteHorizonSeconds + 2)) + 5);

        // The streamer switches to 30 s: everything older than 30 s leaves at once.
        Assert.Equal((0, 0), Totals(await _window.ReadAsync(_b, 30, end + 31_000)));
    }

    [Fact]
    public async Task Space_and_work_do_not_grow_with_the_votes_in_the_window()
    {
        const int perSecond = 200, seconds = 100, memory = 30;
        await WatchAsync(_t0);
        var casts = new List<Task<VoteCast>>();
        for (var s = 0; s < seconds; s++)
        {
            if (s % 10 == 0)
            {
                await WatchAsync(_t0 + (s * 1000L));
            }

            for (var v = 0; v < perSecond; v++)
            {
                casts.Add(Cast($"m{s}-{v}", $"c{v}", v % 4 == 0 ? VoteSide.Against : VoteSide.For, memory, _t0 + (s * 1000L) + v));
            }
        }

        var results = await Task.WhenAll(casts).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.Equal(VoteOutcome.Applied, r.Outcome));
        var last = results[^1];
        Assert.Equal((memory * perSecond * 3 / 4, memory * perSecond / 4), (last.For, last.Against)); // only the last 30 s
        Assert.InRange(await _redis.GetDatabase().HashLengthAsync(RedisKeys.VoteWindow(_b)), 1, (2 * (memory + 1)) + 5);
    }

    [Fact]
    public async Task Votes_cast_at_the_same_moment_share_script_calls_and_keep_every_rule()
    {
        await WatchAsync(_t0);
        var casts = new List<Task<VoteCast>>();
        for (var i = 0; i < 300; i++)
        {
            casts.Add(Cast($"m{i}", $"c{i}", i % 3 == 0 ? VoteSide.Against : VoteSide.For, 30, _t0 + i));
            casts.Add(Cast($"m{i}", $"c{i}", VoteSide.For, 30, _t0 + i)); // the same message again: duplicate
            casts.Add(Cast($"m{i}-again", $"c{i}", VoteSide.For, 30, _t0 + i + 1)); // same viewer, same second: debounced
        }

        var results = await Task.WhenAll(casts).WaitAsync(Waits.Short);

        Assert.Equal(300, results.Count(r => r.Outcome == VoteOutcome.Applied));
        Assert.Equal(300, results.Count(r => r.Outcome == VoteOutcome.Duplicate));
        Assert.Equal(300, results.Count(r => r.Outcome == VoteOutcome.Debounced));
        Assert.Equal((200, 100), Totals(await _window.ReadAsync(_b, 30, _t0 + 400)));
    }

    [Fact]
    public async Task A_vote_stamped_behind_the_window_cursor_still_expires()
    {
        await WatchAsync(_t0 + 10_000);
        await Cast("m1", "c1", VoteSide.For, 5, _t0 + 10_000);
        await Cast("m2", "c2", VoteSide.For, 5, _t0 + 1_000); // a replica whose clock lags far behind

        Assert.Equal((0, 0), Totals(await _window.ReadAsync(_b, 5, _t0 + 30_000)));
    }

    [Fact]
    public async Task A_replayed_vote_counts_in_the_second_it_was_cast_and_leaves_the_window_from_there()
    {
        await WatchAsync(_t0);
        Assert.Equal(new VoteCast(VoteOutcome.Applied, 1, 0), await Replay("m1", "c1", VoteSide.For, 30, castAt: _t0, now: _t0 + 10_000));

        Assert.Equal((1, 0), Totals(await _window.ReadAsync(_b, 30, _t0 + 29_999)));
        Assert.Equal((0, 0), Totals(await _window.ReadAsync(_b, 30, _t0 + 30_000)));
    }

    [Fact]
    public async Task A_replayed_vote_whose_second_left_a_finite_window_is_not_counted_but_is_seen()
    {
        await WatchAsync(_t0 + 6_000);
        await Cast("m0", "c0", VoteSide.Against, 5, _t0 + 6_000);

        Assert.Equal(VoteOutcome.Expired, (await Replay("m1", "c1", VoteSide.For, 5, castAt: _t0 + 900, now: _t0 + 6_000)).Outcome);
        Assert.Equal((0, 1), Totals(await _window.ReadAsync(_b, 5, _t0 + 6_000)));
        Assert.Equal(VoteOutcome.Duplicate, (await Replay("m1", "c1", VoteSide.For, 5, castAt: _t0 + 900, now: _t0 + 6_500)).Outcome);
    }

    [Fact]
    public async Task A_replayed_vote_older_than_an_infinite_windows_horizon_joins_its_folded_base()
    {
        var now = _t0 + ((VoteScripts.InfiniteHorizonSeconds + 30) * 1000L);
        await WatchAsync(now);
        await Cast("m0", "c0", VoteSide.For, null, now);

        Assert.Equal(new VoteCast(VoteOutcome.Applied, 2, 0), await Replay("m1", "c1", VoteSide.For, null, castAt: _t0, now: now));
        Assert.Equal(1, (long)await _redis.GetDatabase().HashGetAsync(RedisKeys.VoteWindow(_b), "bf"));
        Assert.Equal((2, 0), Totals(await _window.ReadAsync(_b, null, now + 600_000)));
    }

    [Fact]
    public async Task Debounce_holds_whatever_order_a_chatters_votes_reach_redis_in()
    {
        await WatchAsync(_t0);
        await Cast("m0", "c1", VoteSide.For, 30, _t0 + 10_000); // another replica's live vote went first

        Assert.Equal(VoteOutcome.Applied, (await Replay("m1", "c1", VoteSide.Against, 30, castAt: _t0 + 5_000, now: _t0 + 10_100)).Outcome);
        Assert.Equal(VoteOutcome.Debounced, (await Replay("m2", "c1", VoteSide.Against, 30, castAt: _t0 + 9_500, now: _t0 + 10_100)).Outcome);
        Assert.Equal(VoteOutcome.Debounced, (await Cast("m3", "c1", VoteSide.Against, 30, _t0 + 10_600)).Outcome); // still 1 s after the newest
    }

    [Fact]
    public async Task A_chatters_last_vote_is_kept_as_long_as_a_replayed_vote_can_be_late()
    {
        await WatchAsync(_t0);
        await Cast("m0", "c1", VoteSide.For, 30, _t0);

        // A vote of the same chatter may come out of another replica's buffer up to its MaxAge later (it was 2 s).
        var kept = await _redis.GetDatabase().KeyTimeToLiveAsync(RedisKeys.VoteDebounce(_b, "c1"));
        Assert.True(kept > VoteBuffer.MaxAge, $"the chatter's last vote is kept {kept}");
    }

    [Fact]
    public async Task A_replayed_vote_counts_when_an_overlay_watched_at_its_own_time()
    {
        await WatchAsync(_t0); // its heartbeat lasts until t0 + 15 s

        Assert.Equal(VoteOutcome.Applied, (await Replay("m1", "c1", VoteSide.For, 120, castAt: _t0 + 5_000, now: _t0 + 20_000)).Outcome);
        Assert.Equal(VoteOutcome.NoViewers, (await Replay("m2", "c2", VoteSide.For, 120, castAt: _t0 + 16_000, now: _t0 + 20_000)).Outcome);
        var together = await Task.WhenAll( // the last two ride in one call that straddles the heartbeat's expiry
            Replay("m3", "c3", VoteSide.For, 120, castAt: _t0 + 6_000, now: _t0 + 20_000),
            Replay("m4", "c4", VoteSide.For, 120, castAt: _t0 + 17_000, now: _t0 + 20_000),
            Replay("m5", "c5", VoteSide.For, 120, castAt: _t0 + 7_000, now: _t0 + 20_000));
        Assert.Equal([VoteOutcome.Applied, VoteOutcome.NoViewers, VoteOutcome.Applied], together.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Reset_empties_the_window_and_publishes_the_middle_once()
    {
        await WatchAsync(_t0);
        await Cast("m1", "c1", VoteSide.For, 30, _t0);

        Assert.True(await _window.ResetAsync(_b, _t0 + 10));
        Assert.False(await _window.ResetAsync(_b, _t0 + 20));
        Assert.Equal((0, 0), Totals(await _window.ReadAsync(_b, 30, _t0 + 30)));
        Assert.Equal(new VoteCast(VoteOutcome.Applied, 0, 1), await Cast("m2", "c2", VoteSide.Against, 30, _t0 + 40));
    }

    [Fact]
    public async Task The_published_snapshot_is_the_json_system_text_json_writes()
    {
        var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(_b)));
        await WatchAsync(_t0);
        await Cast("m1", "c1", VoteSide.For, 30, _t0);
        await Cast("m2", "c2", VoteSide.For, 30, _t0 + 1);
        await Cast("m3", "c3", VoteSide.Against, 30, _t0 + 2);

        using var cts = new CancellationTokenSource(Waits.Short);
        string json = "";
        for (var i = 0; i < 3; i++)
        {
            json = (await queue.ReadAsync(cts.Token)).Message!;
        }

        var expected = new SentimentSnapshot(_b, 2, 1, _t0 + 2);
        Assert.Equal(expected, JsonSerializer.Deserialize<SentimentSnapshot>(json, JsonSerializerOptions.Web));
        using var written = JsonDocument.Parse(JsonSerializer.Serialize(expected, JsonSerializerOptions.Web));
        using var published = JsonDocument.Parse(json);
        Assert.Equal(written.RootElement.EnumerateObject().Select(p => p.Name), published.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(expected.ForRatio, published.RootElement.GetProperty("forRatio").GetDouble());
        Assert.Equal(expected.AgainstRatio, published.RootElement.GetProperty("againstRatio").GetDouble());
        await queue.UnsubscribeAsync();
    }

    private Task<VoteCast> Cast(string messageId, string chatterId, VoteSide side, int? memory, long now) =>
        _window.CastAsync(_b, messageId, chatterId, side, memory, now, SeenTtl);

    private Task<VoteCast> Replay(string messageId, string chatterId, VoteSide side, int? memory, long castAt, long now) =>
        _window.CastAsync(_b, messageId, chatterId, side, memory, now, SeenTtl, castAt);

    private Task WatchAsync(long nowMs) =>
        new OverlayPresence(_redis, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(nowMs))).HeartbeatAsync(_b, "test", 1, 1, default);

    private static (long, long) Totals(SentimentSnapshot s) => (s.For, s.Against);
}
