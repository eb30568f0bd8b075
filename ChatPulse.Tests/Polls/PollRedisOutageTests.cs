using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// Polls through a Redis outage, on a <c>redis-server</c> of the test's own: a start answers 503 and leaves no row
/// behind (the Postgres row written first is removed again), reading the current poll answers 503, never a 500;
/// once Redis is back a poll starts.
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

    private async Task<long> RowsAsync(Guid streamerId)
    {
        await using var command = fixture.Database.CreateCommand("SELECT count(*) FROM polls WHERE streamer_id = $1");
        command.Parameters.AddWithValue(streamerId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
