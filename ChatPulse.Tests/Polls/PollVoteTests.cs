using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Polls;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// Poll votes through the real webhook of the AppHost's replica, the poll started on a login replica: whole-message
/// triggers, one vote per viewer (rules first and last), exactly once under redelivery and shared chat, presence-gated,
/// the mood counting on beside it, the countdown's end decided once and the result stored.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollVoteTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rule_first_counts_each_viewer_once_exactly_once_per_message_and_mood_votes_keep_counting()
    {
        var (polls, streamer) = await SignInAsync("pollfirst");
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId, watched: false);
        var (_, poll) = await polls.StartAsync(PollClient.Body(options: 3, rule: "first"));
        var id = poll.GetProperty("id").GetString()!;

        await chat.SayAsync(fixture.Api, "900", "1"); // no overlay yet: not counted
        await chat.WatchAsync();
        await chat.SayAsync(fixture.Api, "901", "1");
        var counted = await chat.NextAsync("poll-counts", m => m.GetProperty("total").GetInt64() == 1);
        await chat.SayAsync(fixture.Api, "901", "2"); // the first vote stands
        var twice = await chat.SayAsync(fixture.Api, "902", " 2 ");
        await chat.SayAsync(fixture.Api, "902", " 2 ", messageId: twice); // Twitch redelivers the message
        await chat.SayAsync(fixture.Api, "902", "2", sourceMessageId: twice, sourceBroadcasterId: "1234"); // a shared-chat copy
        await chat.SayAsync(fixture.Api, "903", "yes");
        await chat.SayAsync(fixture.Api, "904", "1 please");
        var counts = await chat.CountsAsync(3);
        var (ended, result) = await polls.EndAsync(id);
        var row = await PollChat.RowAsync(fixture.Database, id);
        var mood = await fixture.Redis.GetDatabase().HashGetAsync(RedisKeys.VoteWindow(streamer.TwitchUserId), "F");

        Assert.Equal(id, counted.GetProperty("pollId").GetString());
        Assert.Equal([1L, 0, 0], counted.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()));
        Assert.Equal([1L, 1, 0], counts);
        Assert.Equal(HttpStatusCode.OK, ended);
        Assert.Equal([0, 1], result.GetProperty("winners").EnumerateArray().Select(w => w.GetInt32())); // a tie: both win
        Assert.Equal("ended", row.Status);
        Assert.Equal([1L, 1, 0], row.Counts!);
        Assert.Equal([0, 1], row.Winners!);
        Assert.Equal([2L], row.PerMinute!);
        Assert.Equal(1, (long)mood); // "yes" still moved the mood
    }

    [Fact]
    public async Task Rule_last_moves_a_viewers_vote_and_the_same_option_again_changes_nothing()
    {
        var (polls, streamer) = await SignInAsync("polllast");
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId);
        var (_, poll) = await polls.StartAsync(new
        {
            question = "Snack?", rule = "last", durationSeconds = 60,
            options = new[] { new { label = "Chips", triggers = new[] { "chips", "c" } }, new { label = "Fruit", triggers = new[] { "Fruit" } } },
        });
        var id = poll.GetProperty("id").GetString()!;

        await chat.SayAsync(fixture.Api, "911", "CHIPS");
        await chat.SayAsync(fixture.Api, "912", "c");
        await chat.SayAsync(fixture.Api, "911", "fruit");
        await chat.SayAsync(fixture.Api, "911", "Fruit");
        var counts = await chat.CountsAsync(2);
        await Waits.Until(async () => (await ViewAsync(streamer.TwitchUserId)).Options.Select(o => o.Votes).SequenceEqual([1L, 1]), Waits.Short,
            "the running poll's view at its live counts (for an overlay that loads now)");
        var (_, result) = await polls.EndAsync(id);

        Assert.Equal([1L, 1], counts);
        Assert.Equal(2, result.GetProperty("totalVotes").GetInt64());
        Assert.Equal("[0,1]", result.GetProperty("winners").GetRawText());
        Assert.Equal(new long[] { 3 }, (await PollChat.RowAsync(fixture.Database, id)).PerMinute); // three votes counted, one moved
    }

    [Fact]
    public async Task The_countdown_ends_the_poll_once_for_the_cluster_and_a_vote_after_it_does_not_count()
    {
        var (polls, streamer) = await SignInAsync("pollcountdown");
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId);
        var (_, poll) = await polls.StartAsync(PollClient.Body(options: 2, durationSeconds: 15, resultSeconds: 5));
        var id = poll.GetProperty("id").GetString()!;
        var endsAt = poll.GetProperty("endsAt").GetInt64();

        await chat.SayAsync(_replica.Client, "921", "2");
        await chat.SayAsync(fixture.Api, "922", "2");
        await chat.SayAsync(fixture.Api, "923", "1");
        var end = await chat.NextAsync("poll", m => m.GetProperty("view").ValueKind != System.Text.Json.JsonValueKind.Null
            && m.GetProperty("view").GetProperty("state").GetString() == "ended", TimeSpan.FromSeconds(40));
        await chat.SayAsync(fixture.Api, "924", "1"); // after the end
        var counts = await chat.CountsAsync(2);
        var row = await PollChat.RowAsync(fixture.Database, id);
        var (endAgain, _) = await polls.EndAsync(id);

        var view = end.GetProperty("view");
        Assert.Equal(endsAt, view.GetProperty("endedAt").GetInt64()); // stamped with the countdown's end, not the tick's time
        Assert.Equal("[1]", view.GetProperty("winners").GetRawText());
        Assert.True(view.GetProperty("showUntil").GetInt64() >= endsAt + 5000, "the result shows its 5 s from when it is shown");
        Assert.Equal([1L, 2], counts);
        Assert.Equal(("ended", true), (row.Status, row.EndedOnTime));
        Assert.Equal([1L, 2], row.Counts!);
        Assert.Equal([1], row.Winners!);
        Assert.Equal(HttpStatusCode.Conflict, endAgain);
    }

    [Fact]
    public async Task When_redis_loses_a_running_poll_it_is_stored_cancelled_and_the_next_poll_can_start()
    {
        var (polls, streamer) = await SignInAsync("polllost");
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId);
        var (_, poll) = await polls.StartAsync(PollClient.Body(durationSeconds: null));
        var id = poll.GetProperty("id").GetString()!;
        await chat.SayAsync(fixture.Api, "951", "1");

        // What a Redis restarted without its data leaves of the poll: nothing.
        await fixture.Redis.GetDatabase().KeyDeleteAsync([RedisKeys.Poll(streamer.TwitchUserId), RedisKeys.PollView(streamer.TwitchUserId),
            RedisKeys.PollVoters(streamer.TwitchUserId, id)]);
        await chat.SayAsync(fixture.Api, "952", "1");
        var (ended, _) = await polls.EndAsync(id);
        var row = await PollChat.RowAsync(fixture.Database, id);
        var stateAfterLoss = await fixture.Redis.GetDatabase().KeyExistsAsync(RedisKeys.Poll(streamer.TwitchUserId));
        var (next, _) = await polls.StartAsync(PollClient.Body("Next?"));

        Assert.False(stateAfterLoss, "a vote after the loss wrote no poll state (poll_closed)");
        Assert.Equal(HttpStatusCode.Conflict, ended);
        Assert.Equal("cancelled", row.Status);
        Assert.Equal([0L, 0, 0], row.Counts!);
        Assert.Equal(HttpStatusCode.Created, next);
    }

    private async Task<PollView> ViewAsync(string broadcasterId) =>
        PollJson.Read((await fixture.Redis.GetDatabase().StringGetAsync(RedisKeys.PollView(broadcasterId))).ToString())!;

    private async Task<(PollClient Polls, ChatPulse.Api.Streamers.Streamer Streamer)> SignInAsync(string prefix)
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, prefix);
        return (await PollClient.ForAsync(visitor), streamer);
    }
}
