using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Polls;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// <c>/api/dashboard/polls</c> on a login replica: start, one poll at a time, end once, cancel, show again, dismiss,
/// and every bad input a 4xx that writes nothing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollApiTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_poll_starts_without_an_overlay_runs_alone_ends_once_and_is_listed_with_its_result()
    {
        var (polls, streamer) = await SignInAsync("pollapi");

        var (started, poll) = await polls.StartAsync(PollClient.Body(options: 3, durationSeconds: 60));
        var (second, conflict) = await polls.StartAsync(PollClient.Body("Another?"));
        var current = await polls.CurrentAsync();
        var id = poll.GetProperty("id").GetString()!;
        var (ended, result) = await polls.EndAsync(id);
        var (endedAgain, _) = await polls.EndAsync(id);
        var listed = await polls.ListAsync();

        Assert.Equal(HttpStatusCode.Created, started);
        Assert.Equal(0, poll.GetProperty("overlaysConnected").GetInt64());
        Assert.Contains("No overlay is connected", poll.GetProperty("notice").GetString());
        Assert.Equal(["1", "2", "3"], poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("triggers")[0].GetString()));
        Assert.Equal(poll.GetProperty("startedAt").GetInt64() + 60_000, poll.GetProperty("endsAt").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Equal("A poll is already running", conflict.GetProperty("title").GetString());
        Assert.Equal("running", current.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, ended);
        Assert.Equal("ended", result.GetProperty("state").GetString());
        Assert.Equal(0, result.GetProperty("winners").GetArrayLength()); // no votes, no winner
        Assert.Equal(HttpStatusCode.Conflict, endedAgain);
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("ended", "Which map?"), (only.GetProperty("status").GetString(), only.GetProperty("question").GetString()));
        var view = PollJson.Read((await fixture.Redis.GetDatabase().StringGetAsync(RedisKeys.PollView(streamer.TwitchUserId))).ToString())!;
        Assert.Equal((PollView.Ended, Guid.Parse(id)), (view.State, view.Id));
        Assert.NotNull(view.ShowUntil);
    }

    [Fact]
    public async Task Every_bad_poll_is_a_400_naming_its_field_and_nothing_is_written()
    {
        var (polls, streamer) = await SignInAsync("pollbad");
        var tooLong = new string('q', PollRules.MaxQuestionLength + 1);

        var (many, manyErrors) = await polls.StartRawAsync($$"""
            {"question":"{{tooLong}}","options":[{"label":""},{"label":"B","triggers":["a","b"]},{"label":"C","triggers":["B "]}],
             "durationSeconds":14,"rule":"sometimes","resultSeconds":301}
            """);
        var (mood, moodErrors) = await polls.StartRawAsync("""{"question":"Q","options":[{"label":"A","triggers":["YES"]},{"label":"B"}],"durationSeconds":901}""");
        var (few, fewErrors) = await polls.StartRawAsync("""{"question":" ","options":[{"label":"A"}],"durationSeconds":60}""");
        var (seven, sevenErrors) = await polls.StartAsync(PollClient.Body(options: 7));
        var (garbled, _) = await polls.StartRawAsync("""{"question":"Q","options":"two"}""");
        var (noTriggers, noTriggerErrors) = await polls.StartRawAsync("""{"question":"Q","options":[{"label":"A","triggers":[]},{"label":"B"}],"resultSeconds":4}""");

        Assert.All([many, mood, few, seven, garbled, noTriggers], s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(["durationSeconds", "options[0].label", "options[2].triggers", "question", "resultSeconds", "rule"], Fields(manyErrors));
        Assert.Contains("option 2", manyErrors.GetProperty("errors").GetProperty("options[2].triggers")[0].GetString());
        Assert.Equal(["durationSeconds", "options[0].triggers"], Fields(moodErrors)); // "yes" is a mood trigger
        Assert.Equal(["options", "question"], Fields(fewErrors));
        Assert.Equal(["options"], Fields(sevenErrors));
        Assert.Equal(["options[0].triggers", "resultSeconds"], Fields(noTriggerErrors));
        Assert.Equal(0, (await polls.ListAsync()).GetArrayLength());
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(RedisKeys.Poll(streamer.TwitchUserId)));
    }

    [Fact]
    public async Task Cancel_takes_the_poll_off_at_once_show_again_and_dismiss_follow_the_rules_and_others_polls_are_404()
    {
        var (polls, streamer) = await SignInAsync("pollcancel");
        var redis = fixture.Redis.GetDatabase();
        var viewKey = RedisKeys.PollView(streamer.TwitchUserId);
        var (other, _) = await SignInAsync("pollother");

        var (_, first) = await polls.StartAsync(PollClient.Body(durationSeconds: null, resultSeconds: null));
        var firstId = first.GetProperty("id").GetString()!;
        var (showWhileRunning, _) = await polls.ShowAsync(firstId);
        var (theirEnd, _) = await other.EndAsync(firstId);
        var (cancelled, cancelledBody) = await polls.CancelAsync(firstId);
        var afterCancel = await redis.KeyExistsAsync(viewKey);
        var (_, second) = await polls.StartAsync(PollClient.Body("Second?", durationSeconds: null, resultSeconds: null));
        var secondId = second.GetProperty("id").GetString()!;
        await polls.EndAsync(secondId);
        var (dismissed, _) = await polls.DismissAsync();
        var afterDismiss = await redis.KeyExistsAsync(viewKey);
        var (shown, shownView) = await polls.ShowAsync(secondId);
        var (showCancelled, _) = await polls.ShowAsync(firstId);

        Assert.Equal(HttpStatusCode.Conflict, showWhileRunning);
        Assert.Equal(HttpStatusCode.NotFound, theirEnd);
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("cancelled", cancelledBody.GetProperty("status").GetString());
        Assert.False(afterCancel);
        Assert.Equal(HttpStatusCode.NoContent, dismissed);
        Assert.False(afterDismiss);
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Equal(JsonValueKind.Null, shownView.GetProperty("showUntil").ValueKind); // until dismissed
        Assert.Equal(Guid.Parse(secondId), PollJson.Read((await redis.StringGetAsync(viewKey)).ToString())!.Id);
        Assert.Equal(HttpStatusCode.Conflict, showCancelled);
    }

    [Fact]
    public async Task A_poll_post_without_the_antiforgery_header_is_a_400_and_nothing_is_written()
    {
        var (polls, streamer) = await SignInAsync("pollforged");

        using var forged = await polls.Visitor.Http.PostAsync(polls.Visitor.Resolve("/api/dashboard/polls"),
            new StringContent(JsonSerializer.Serialize(PollClient.Body()), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await polls.ListAsync()).GetArrayLength());
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(RedisKeys.Poll(streamer.TwitchUserId)));
    }

    private static IEnumerable<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

    private async Task<(PollClient Polls, ChatPulse.Api.Streamers.Streamer Streamer)> SignInAsync(string prefix)
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, prefix);
        return (await PollClient.ForAsync(visitor), streamer);
    }
}
