using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Polls;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Twitch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// The poll engine in process on the test's clock and its own Redis database (its own ticker lease), after the
/// half-done steps an outage leaves behind: a start whose Redis script ran although its reply was lost (the row was
/// removed), a ticker entry left by a failed end, a completion that comes late. None may lock the streamer out, end a
/// poll behind their back or stop the next poll from ending.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollRecoveryTests(AppHostFixture fixture)
{
    private const int OwnRedisDatabase = 11;

    private static readonly PollDefinition Timed = new("Q", [new PollOption("A", ["1"]), new PollOption("B", ["2"])], 15, PollRules.First, 15);

    private static readonly PollDefinition Open = Timed with { DurationSeconds = null };

    [Fact]
    public async Task A_start_whose_redis_reply_was_lost_does_not_block_the_next_start_and_the_ticker_clears_its_state()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, OwnRedisDatabase);
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, votes.Redis, watched: false);
        var (state, store, bid) = (votes.Get<PollState>(), votes.Get<PollStore>(), channel.BroadcasterId);
        await LoseStartAsync(votes, channel, Open);

        var (restarted, view) = await votes.Get<PollActions>().StartAsync(channel.Streamer!, Timed, default);
        var live = await state.ReadAsync(bid);
        // A second lost start, and no start after it: the ticker must take its running state off.
        var (cancelled, _) = await votes.Get<PollActions>().EndAsync(channel.Streamer!, view!.Id, PollRecord.Cancelled, default);
        var lostAgain = await LoseStartAsync(votes, channel, Open);
        await state.MarkDueAsync(bid, lostAgain.Id, 0); // what the failed start's cleanup leaves
        await (await TickerAsync(votes, time)).TickOnceAsync(default);

        Assert.Equal(PollActionResult.Done, restarted);
        Assert.Equal((view.Id, PollRecord.Running), (live!.Id, live.State));
        Assert.Equal(PollActionResult.Done, cancelled);
        Assert.Equal((lostAgain.Id, PollRecord.Cancelled), ((await state.ReadAsync(bid))!.Id, (await state.ReadAsync(bid))!.State));
        Assert.Null(await state.ReadViewAsync(bid));
        Assert.DoesNotContain(await state.DueAsync(long.MaxValue), d => d.BroadcasterId == bid);
        Assert.Null(await store.GetRunningAsync(channel.Streamer!.Id, default));
    }

    [Fact]
    public async Task An_entry_due_early_for_a_failed_cancel_does_not_end_the_poll_its_countdown_still_does()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, OwnRedisDatabase);
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, votes.Redis, watched: false);
        var (state, bid) = (votes.Get<PollState>(), channel.BroadcasterId);
        var ticker = await TickerAsync(votes, time);
        var (_, view) = await votes.Get<PollActions>().StartAsync(channel.Streamer!, Timed, default);

        await state.MarkDueAsync(bid, view!.Id, 0); // a cancel that answered 503 before Redis decided anything
        time.Advance(PollTicker.Interval);
        await ticker.TickOnceAsync(default);
        var afterEarlyTick = await PollChat.RowAsync(fixture.Database, view.Id.ToString());
        var liveAfter = await state.ReadAsync(bid);
        time.Advance(TimeSpan.FromSeconds(15) + PollTicker.Grace);
        await ticker.TickOnceAsync(default);
        var row = await PollChat.RowAsync(fixture.Database, view.Id.ToString());

        Assert.Equal("running", afterEarlyTick.Status);
        Assert.Equal(PollRecord.Running, liveAfter!.State);
        Assert.Equal(("ended", true), (row.Status, row.EndedOnTime));
    }

    [Fact]
    public async Task A_late_completion_of_the_last_poll_does_not_take_the_next_poll_off_the_tickers_list()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, OwnRedisDatabase);
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, votes.Redis, watched: false);
        var (actions, store, bid) = (votes.Get<PollActions>(), votes.Get<PollStore>(), channel.BroadcasterId);
        var (_, first) = await actions.StartAsync(channel.Streamer!, Timed, default);
        var firstRecord = (await store.GetAsync(channel.Streamer!.Id, first!.Id, default))!;
        var (ended, _) = await actions.EndAsync(channel.Streamer!, first.Id, PollRecord.Ended, default);
        var (_, next) = await actions.StartAsync(channel.Streamer!, Timed, default);

        await actions.CompleteAsync(bid, firstRecord, "timer", default); // a second replica's completion, late
        time.Advance(TimeSpan.FromSeconds(15) + PollTicker.Grace);
        await (await TickerAsync(votes, time)).TickOnceAsync(default);
        var row = await PollChat.RowAsync(fixture.Database, next!.Id.ToString());

        Assert.Equal(PollActionResult.Done, ended);
        Assert.Equal(("ended", true), (row.Status, row.EndedOnTime));
    }

    [Fact]
    public async Task A_start_script_that_reaches_redis_late_does_not_replace_the_poll_that_started_since()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, OwnRedisDatabase);
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, votes.Redis, watched: false);
        var (state, store, bid) = (votes.Get<PollState>(), votes.Get<PollStore>(), channel.BroadcasterId);
        // A start whose script stalled: its caller timed out and removed the row; the streamer started again.
        var stalled = (await store.InsertAsync(channel.Streamer!.Id, Open, time.GetUtcNow(), default))!;
        await store.DeleteAsync(stalled.Id, default);
        var (started, next) = await votes.Get<PollActions>().StartAsync(channel.Streamer!, Timed, default);

        var late = await state.StartAsync(bid, stalled, stalled.ToView(null), replaces: null); // what the stalled caller had seen: none
        var live = await state.ReadAsync(bid);
        time.Advance(TimeSpan.FromSeconds(15) + PollTicker.Grace);
        await (await TickerAsync(votes, time)).TickOnceAsync(default);
        var row = await PollChat.RowAsync(fixture.Database, next!.Id.ToString());

        Assert.Equal(PollActionResult.Done, started);
        Assert.False(late);
        Assert.Equal((next.Id, PollRecord.Running), (live!.Id, live.State));
        Assert.Equal(("ended", true), (row.Status, row.EndedOnTime)); // its due entry survived
    }

    [Fact]
    public async Task A_tick_that_failed_between_cancelling_a_lost_start_and_taking_its_view_off_is_finished_by_the_next()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, OwnRedisDatabase);
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, votes.Redis, watched: false);
        var (state, bid) = (votes.Get<PollState>(), channel.BroadcasterId);
        var lost = await LoseStartAsync(votes, channel, Open);
        // The earlier tick's cancel went through; its dismiss and its removal of the entry did not.
        await state.EndAsync(bid, lost.Id, PollRecord.Cancelled, time.GetUtcNow().ToUnixTimeMilliseconds());
        await state.MarkDueAsync(bid, lost.Id, 0);
        var viewBefore = await state.ReadViewAsync(bid);

        await (await TickerAsync(votes, time)).TickOnceAsync(default);

        Assert.Equal(lost.Id, viewBefore!.Id);
        Assert.Null(await state.ReadViewAsync(bid));
        Assert.DoesNotContain(await state.DueAsync(long.MaxValue), d => d.BroadcasterId == bid);
    }

    // What a start leaves when its Redis script ran but the reply timed out: the state and view, the row removed again.
    private static async Task<PollRecord> LoseStartAsync(InProcessVotes votes, VoteTestChannel channel, PollDefinition definition)
    {
        var store = votes.Get<PollStore>();
        var record = (await store.InsertAsync(channel.Streamer!.Id, definition, votes.Time.GetUtcNow(), default))!;
        await votes.Get<PollState>().MarkDueAsync(channel.BroadcasterId, record.Id, null);
        Assert.True(await votes.Get<PollState>().StartAsync(channel.BroadcasterId, record, record.ToView(null), replaces: null));
        await store.DeleteAsync(record.Id, default);
        return record;
    }

    // The lease is the test's own database's: the class's previous test (another replica id) may still hold it.
    private static async Task<PollTicker> TickerAsync(InProcessVotes votes, TimeProvider time)
    {
        await votes.Redis.GetDatabase().KeyDeleteAsync(RedisKeys.PollTickerLeader);
        return new PollTicker(votes.Redis, votes.Get<PollState>(), votes.Get<PollStore>(), votes.Get<PollActions>(), votes.Directory, votes.Replica,
            time, NullLogger<PollTicker>.Instance);
    }
}
