using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Twitch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// The cluster's poll ticker in process, with the test's clock, its own Redis database (its own lease) and its Postgres
/// through a proxy the test cuts: an end decided in Redis whose Postgres write did not happen is written once Postgres
/// answers again, with every vote and the countdown's end, and nothing is lost.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollEndRetryTests(AppHostFixture fixture)
{
    private const int OwnRedisDatabase = 4;

    [Fact]
    public async Task An_end_whose_postgres_write_failed_stays_due_and_a_later_tick_stores_the_result()
    {
        await using var proxy = TcpProxy.ForPostgres(fixture.DatabaseConnectionString);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var votes = await InProcessVotes.CreateAsync(fixture, time, OwnRedisDatabase,
            databaseConnectionString: proxy.RewritePostgres(fixture.DatabaseConnectionString) + ";Timeout=2;Pooling=false");
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, votes.Redis, watched: false);
        var presence = new OverlayPresence(votes.Redis, time); // an overlay on the test's clock
        var actions = votes.Get<PollActions>();
        var state = votes.Get<PollState>();
        var ticker = new PollTicker(votes.Redis, state, votes.Get<PollStore>(), actions, votes.Directory, votes.Replica, time,
            NullLogger<PollTicker>.Instance);
        var definition = new PollDefinition("Q", [new PollOption("A", ["1"]), new PollOption("B", ["2"])], 15, PollRules.First, 15);
        var (started, view) = await actions.StartAsync(channel.Streamer!, definition, default);
        var bid = channel.BroadcasterId;

        await presence.HeartbeatAsync(bid, "overlay", 1, 1, default);
        var voted = await votes.Processor.ProcessAsync(new ChatVote(bid, "c1", Guid.NewGuid().ToString(), "1", time.GetUtcNow()), default);
        time.Advance(TimeSpan.FromSeconds(15) + PollTicker.Grace);
        // A replica decided the end in Redis and died before writing Postgres.
        var decided = await state.EndAsync(bid, view!.Id, PollRecord.Ended, time.GetUtcNow().ToUnixTimeMilliseconds());
        await presence.HeartbeatAsync(bid, "overlay", 1, 1, default);
        var late = await votes.Processor.ProcessAsync(new ChatVote(bid, "c2", Guid.NewGuid().ToString(), "2", time.GetUtcNow()), default);
        proxy.Cut();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ticker.TickOnceAsync(default));
        var stillDue = (await state.DueAsync(time.GetUtcNow().ToUnixTimeMilliseconds())).Any(d => d.BroadcasterId == bid);
        var whileCut = await PollChat.RowAsync(fixture.Database, view.Id.ToString());
        proxy.Restore();
        time.Advance(PollTicker.Interval);
        await ticker.TickOnceAsync(default);
        var row = await PollChat.RowAsync(fixture.Database, view.Id.ToString());
        var shown = PollJson.Read((await votes.Redis.GetDatabase().StringGetAsync(RedisKeys.PollView(bid))).ToString());

        Assert.Equal((PollActionResult.Done, VoteOutcome.Applied, 1, VoteOutcome.PollClosed), (started, voted, decided, late));
        Assert.True(stillDue, "the poll stays on the ticker's list until Postgres has its result");
        Assert.Equal("running", whileCut.Status);
        Assert.Equal(("ended", true), (row.Status, row.EndedOnTime));
        Assert.Equal([1L, 0], row.Counts!);
        Assert.Equal([0], row.Winners!);
        Assert.Equal((PollView.Ended, view.Id), (shown!.State, shown.Id));
        Assert.DoesNotContain(await state.DueAsync(long.MaxValue), d => d.BroadcasterId == bid);
    }
}
