using System.Text.Json;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Twitch;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// The streamer's End when Redis ends the poll but Postgres refuses its result: a 503 that says the result is pending,
/// and the result stored and shown by the ticker once Postgres takes writes again. A replica of the test's own, on a
/// database and a Redis database of its own, so no other replica's ticker sees the poll.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollEndPendingTests(AppHostFixture fixture)
{
    private const int OwnRedisDatabase = 14;

    [Fact]
    public async Task An_end_postgres_refuses_answers_503_pending_and_the_result_is_stored_and_shown_once_it_takes_writes()
    {
        await using var database = new OwnDatabase(fixture);
        await using var replica = await ApiInstance.StartAsync(fixture, e =>
        {
            database.Use(e);
            e["ConnectionStrings__redis"] += $",defaultDatabase={OwnRedisDatabase}";
        });
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "pending");
        using var _ = visitor;
        var polls = await PollClient.ForAsync(visitor);
        await using var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();
        var (started, poll) = await polls.StartAsync(PollClient.Body(options: 2, durationSeconds: null));
        var id = poll.GetProperty("id").GetString()!;
        using var vote = await replica.Client.SendAsync(EventSubMessages.Request(fixture.ApiEnvironment["WEBHOOK_SECRET"], Notification,
            EventSubMessages.ChatMessage(streamer.TwitchUserId, "720000001", "1")));
        await overlay.WaitForStateAsync(s => s.GetProperty("poll") is { ValueKind: JsonValueKind.Object } p && p.GetProperty("totalVotes").GetInt64() == 1,
            "the vote on the overlay's poll");
        var (pending, problem, again, whileRefused) = await RefusingUpdatesAsync(database, async () =>
        {
            var (status, body) = await polls.EndAsync(id);
            var (secondStatus, _) = await polls.EndAsync(id);
            return (status, body, secondStatus, await PollChat.RowAsync(replica.Database, id));
        });
        var shown = await overlay.WaitForStateAsync(s => s.GetProperty("poll") is { ValueKind: JsonValueKind.Object } p
            && p.GetProperty("state").GetString() == "ended", "the result on the overlay");
        var row = await PollChat.RowAsync(replica.Database, id);
        var current = await polls.CurrentAsync();

        Assert.Equal(HttpStatusCode.Created, started);
        Assert.Equal(HttpStatusCode.NoContent, vote.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pending);
        Assert.Equal("Poll ended, result pending", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again); // Redis ended it once; the second press changes nothing
        Assert.Equal("running", whileRefused.Status);
        Assert.Equal("ended", row.Status);
        Assert.Equal([1L, 0], row.Counts!);
        Assert.Equal([0], row.Winners!);
        Assert.Equal([0], shown.GetProperty("poll").GetProperty("winners").EnumerateArray().Select(w => w.GetInt32()));
        Assert.Equal("ended", current.GetProperty("state").GetString());
        Assert.False(replica.HasExited);
    }

    // Runs `body` while every UPDATE of a poll fails as if Postgres refused connections (57P03: cannot connect now);
    // reads go on. The refusal is lifted afterwards, whatever `body` did.
    private static async Task<T> RefusingUpdatesAsync<T>(OwnDatabase database, Func<Task<T>> body)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(database.ConnectionString);
        await data.CreateCommand("""
            CREATE FUNCTION refuse_poll_updates() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'the database is not taking writes' USING ERRCODE = '57P03'; END $$;
            CREATE TRIGGER refuse_poll_updates BEFORE UPDATE ON polls FOR EACH ROW EXECUTE FUNCTION refuse_poll_updates();
            """).ExecuteNonQueryAsync();
        try
        {
            return await body();
        }
        finally
        {
            await data.CreateCommand("DROP TRIGGER refuse_poll_updates ON polls; DROP FUNCTION refuse_poll_updates();").ExecuteNonQueryAsync();
        }
    }
}
