using ChatPulse.Tests.Polls;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary>
/// A poll beside the mood, through the real poll API and signed chat messages to a 1 s-interval replica's webhook:
/// poll votes are not mood votes on the timeline, and the running poll is marked on the stream's chart.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelinePollTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Poll_votes_add_no_points_and_the_running_poll_is_marked_on_the_chart()
    {
        await using var replica = await ApiInstance.StartAsync(fixture, e => e["TIMELINE_INTERVAL"] = "1s");
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "timelinepoll");
        using var _ = visitor;
        var polls = await PollClient.ForAsync(visitor);
        await using var chat = await PollChat.OpenAsync(fixture, streamer.TwitchUserId);
        var (started, poll) = await polls.StartAsync(PollClient.Body(options: 2, durationSeconds: 60));

        await chat.SayAsync(replica.Client, "931", "1");
        await chat.SayAsync(replica.Client, "932", "2");
        await chat.SayAsync(replica.Client, "933", "yes"); // the one mood vote
        var counts = await chat.CountsAsync(2);
        // The webhook counts each message before it answers: had the poll votes been mood votes, they would sit in the
        // mood vote's interval or an earlier one, written by the time its point is.
        var points = await TimelineRows.WaitForVotesAsync(replica.Database, streamer.Id, 1);
        var page = await visitor.PageAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Created, started);
        Assert.Equal([1L, 1], counts);
        Assert.Equal(1, points.Sum(p => p.Votes));
        Assert.Equal((1, 0), (points[^1].For, points[^1].Against));
        var marker = page.QuerySelector("[data-testid=timeline-poll]");
        Assert.Equal(poll.GetProperty("id").GetString(), marker?.GetAttribute("data-poll-id"));
        Assert.Contains("(running)", marker!.QuerySelector("title")!.TextContent);
    }
}
