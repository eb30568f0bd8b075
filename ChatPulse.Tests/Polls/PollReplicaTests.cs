using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// One poll across replicas of their own (on the collection's Postgres and Redis): starting on both at once starts one,
/// votes on both count once per viewer, ending from both at once ends it once, and a replica killed mid-poll changes nothing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollReplicaTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Starting_on_two_replicas_at_once_starts_one_votes_count_once_per_viewer_and_ending_from_both_ends_it_once()
    {
        var replicas = await ApiInstance.StartTogetherAsync(fixture, 2);
        await using var a = replicas[0];
        await using var b = replicas[1];
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(a, "pollreplicas");
        var onA = await PollClient.ForAsync(visitor);
        var onB = await PollClient.ForAsync(visitor.WithSessionTo(b.BaseAddress));
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId);
        var starts = await Task.WhenAll(onA.StartAsync(PollClient.Body(options: 2, durationSeconds: null)),
            onB.StartAsync(PollClient.Body(options: 2, durationSeconds: null)));
        var poll = starts.Single(s => s.Status == HttpStatusCode.Created).Body;
        var id = poll.GetProperty("id").GetString()!;

        await chat.SayAsync(a.Client, "931", "1");
        await chat.SayAsync(b.Client, "931", "2"); // the viewer switched replicas: still one vote
        await chat.SayAsync(b.Client, "932", "2");
        await chat.SayAsync(a.Client, "933", "2");
        var ends = await Task.WhenAll(onA.EndAsync(id), onB.EndAsync(id));
        var fromA = await onA.CurrentAsync();
        var fromB = await onB.CurrentAsync();
        var row = await PollChat.RowAsync(fixture.Database, id);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], starts.Select(s => s.Status).Order());
        Assert.Single((await onA.ListAsync()).EnumerateArray());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], ends.Select(e => e.Status).Order());
        var winner = ends.Single(e => e.Status == HttpStatusCode.OK).Body;
        Assert.Equal("[1]", winner.GetProperty("winners").GetRawText());
        Assert.Equal([1L, 2], winner.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes").GetInt64()));
        Assert.Equal(fromA.GetRawText(), fromB.GetRawText()); // every replica shows the one result
        Assert.Equal(id, fromA.GetProperty("id").GetString());
        Assert.Equal("ended", row.Status);
        Assert.Equal([1L, 2], row.Counts!);
    }

    [Fact]
    public async Task A_replica_killed_mid_poll_changes_nothing_the_cluster_ends_the_poll_on_time_with_every_vote()
    {
        var replicas = await ApiInstance.StartTogetherAsync(fixture, 2);
        await using var a = replicas[0];
        await using var b = replicas[1];
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(a, "pollkilled");
        var polls = await PollClient.ForAsync(visitor);
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId);
        var (_, poll) = await polls.StartAsync(PollClient.Body(options: 3, durationSeconds: 15, rule: "last"));
        var id = poll.GetProperty("id").GetString()!;

        await chat.SayAsync(a.Client, "941", "3");
        await chat.SayAsync(a.Client, "942", "1");
        a.Kill(); // the replica that started the poll and took its votes, without a goodbye
        await chat.SayAsync(b.Client, "942", "3"); // rule last: the vote moves, on the other replica
        await chat.SayAsync(b.Client, "943", "2");
        var end = await chat.NextAsync("poll", m => m.GetProperty("view").ValueKind == JsonValueKind.Object
            && m.GetProperty("view").GetProperty("state").GetString() == "ended", TimeSpan.FromSeconds(40));
        var row = await PollChat.RowAsync(fixture.Database, id);

        Assert.Equal(poll.GetProperty("endsAt").GetInt64(), end.GetProperty("view").GetProperty("endedAt").GetInt64());
        Assert.Equal("[2]", end.GetProperty("view").GetProperty("winners").GetRawText());
        Assert.Equal(("ended", true), (row.Status, row.EndedOnTime));
        Assert.Equal([0L, 1, 2], row.Counts!);
    }
}
