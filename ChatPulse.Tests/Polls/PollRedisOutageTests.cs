using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// Polls through a Redis outage, on a <c>redis-server</c> of the test's own: a start answers 503 and leaves no row
/// behind (the Postgres row written first is removed again), reading the current poll answers 503, never a 500;
/// once Redis is back a poll starts. Ending, cancelling and starting over an old poll answer 503 too, and the poll is
/// still running when Redis answers again: nothing ended it behind the streamer's back.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollRedisOutageTests(AppHostFixture fixture)
{
    [Fact]
    public async Task With_redis_down_a_start_is_a_503_that_writes_nothing_and_after_it_a_poll_starts()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await ApiInstance.StartAsync(fixture, env => env["ConnectionStrings__redis"] = redis.ConnectionString);
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "pollredis");
        var polls = await PollClient.ForAsync(visitor);

        await redis.KillAsync();
        await replica.WaitUntilFailingAsync("redis");
        var (start, problem) = await polls.StartAsync(PollClient.Body());
        using var current = await visitor.GetAsync("/api/dashboard/polls/current");
        var rows = await RowsAsync(streamer.Id);
        await redis.StartAgainAsync();
        await replica.WaitUntilReadyAsync();
        var (after, _) = await polls.StartAsync(PollClient.Body());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, start);
        Assert.Equal("Polls unavailable", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, current.StatusCode);
        Assert.NotNull(current.Headers.RetryAfter);
        Assert.Equal(0, rows);
        Assert.Equal(HttpStatusCode.Created, after);
    }

    [Fact]
    public async Task With_redis_cut_end_cancel_and_a_start_over_an_old_poll_are_503s_and_afterwards_the_poll_still_runs()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var proxy = TcpProxy.ForRedis(redis.ConnectionString); // cut, not killed: Redis keeps the poll
        await using var replica = await ApiInstance.StartAsync(fixture, env => env["ConnectionStrings__redis"] = proxy.RewriteRedis(redis.ConnectionString));
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "polloutend");
        var polls = await PollClient.ForAsync(visitor);
        var (_, poll) = await polls.StartAsync(PollClient.Body(durationSeconds: 600));
        var id = poll.GetProperty("id").GetString()!;
        await using (var backdate = fixture.Database.CreateCommand("UPDATE polls SET started_at = started_at - interval '1 minute' WHERE id = $1"))
        {
            backdate.Parameters.AddWithValue(Guid.Parse(id));
            await backdate.ExecuteNonQueryAsync(); // older than PollActions.OrphanAge: a start looks for its Redis state
        }

        proxy.Cut();
        await replica.WaitUntilFailingAsync("redis");
        var (cancel, _) = await polls.CancelAsync(id);
        var (end, _) = await polls.EndAsync(id);
        var (start, _) = await polls.StartAsync(PollClient.Body("Another?"));
        proxy.Restore();
        await replica.WaitUntilReadyAsync();
        var current = await polls.CurrentAsync();
        var (ended, result) = await polls.EndAsync(id);

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], [cancel, end, start]);
        Assert.Equal((id, "running"), (current.GetProperty("id").GetString(), current.GetProperty("state").GetString()));
        Assert.Equal((HttpStatusCode.OK, "ended"), (ended, result.GetProperty("state").GetString()));
        Assert.Equal(1, await RowsAsync(streamer.Id));
    }

    private async Task<long> RowsAsync(Guid streamerId)
    {
        await using var command = fixture.Database.CreateCommand("SELECT count(*) FROM polls WHERE streamer_id = $1");
        command.Parameters.AddWithValue(streamerId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
