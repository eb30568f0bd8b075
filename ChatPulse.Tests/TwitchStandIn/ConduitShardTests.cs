using ChatPulse.Tests.Support;
using ChatPulse.TwitchStandIn.EventSub;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>Conduits and the real shard handshake against a local listener.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ConduitShardTests(AppHostFixture fixture)
{
    private const string Secret = "shard-secret-0123456789";

    [Fact]
    public async Task Patching_a_shard_sends_a_signed_challenge_and_enables_it_on_an_exact_echo()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        await using var listener = await WebhookListener.StartAsync();
        var conduit = await app.CreateConduitAsync();

        using var patched = await app.PointShardAsync(conduit, listener.Callback, Secret);

        var shard = patched.RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal("enabled", shard.GetProperty("status").GetString());
        Assert.Equal(listener.Callback.ToString(), shard.GetProperty("transport").GetProperty("callback").GetString());
        Assert.Empty(patched.RootElement.GetProperty("errors").EnumerateArray());

        var challenge = Assert.Single(listener.Received);
        Assert.Equal("webhook_callback_verification", challenge.MessageType);
        Assert.Equal("0", challenge.Header("Twitch-Eventsub-Message-Retry"));
        Assert.Equal(EventSubSignature.Compute(Secret, challenge.MessageId, challenge.Header("Twitch-Eventsub-Message-Timestamp"), challenge.Body),
            challenge.Header("Twitch-Eventsub-Message-Signature"));
        using var body = challenge.Json();
        Assert.False(body.RootElement.TryGetProperty("subscription", out _));
        Assert.Equal(conduit, body.RootElement.GetProperty("conduit_shard").GetProperty("conduit_id").GetString());
        Assert.Equal("0", body.RootElement.GetProperty("conduit_shard").GetProperty("shard").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("challenge").GetString()));

        Assert.Equal("enabled", await ShardStatusAsync(app, conduit));
    }

    [Theory]
    [InlineData(ChallengeAnswer.WrongBody, "exactly the challenge")]
    [InlineData(ChallengeAnswer.NotFound, "404")]
    public async Task A_shard_whose_callback_does_not_echo_the_challenge_stays_disabled_with_an_error(ChallengeAnswer answer, string reason)
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        await using var listener = await WebhookListener.StartAsync();
        listener.Challenges = answer;
        var conduit = await app.CreateConduitAsync();

        using var patched = await app.PointShardAsync(conduit, listener.Callback, Secret);

        Assert.Empty(patched.RootElement.GetProperty("data").EnumerateArray());
        var error = patched.RootElement.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("0", error.GetProperty("id").GetString());
        Assert.Contains(reason, error.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.Single(listener.Received);
        Assert.Equal("webhook_callback_verification_failed", await ShardStatusAsync(app, conduit));
    }

    [Fact]
    public async Task Invalid_shard_updates_are_reported_per_shard_without_a_challenge()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        await using var listener = await WebhookListener.StartAsync();
        var conduit = await app.CreateConduitAsync();

        using var response = await app.HelixAsync(HttpMethod.Patch, "/eventsub/conduits/shards", new
        {
            conduit_id = conduit,
            shards = new object[]
            {
                new { id = "7", transport = new { method = "webhook", callback = listener.Callback.ToString(), secret = Secret } },
                new { id = "0", transport = new { method = "webhook", callback = listener.Callback.ToString(), secret = "short" } },
            },
        });
        using var body = await StandInApp.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["7", "0"], body.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Empty(listener.Received);
    }

    [Fact]
    public async Task Conduits_are_listed_deleted_once_and_capped_at_five()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.CreateConduitAsync());
        }

        using var sixth = await app.HelixAsync(HttpMethod.Post, "/eventsub/conduits", new { shard_count = 1 });
        using var list = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");
        using var listed = await StandInApp.ReadJsonAsync(list);
        using var deleted = await app.HelixAsync(HttpMethod.Delete, $"/eventsub/conduits?id={ids[0]}");
        using var again = await app.HelixAsync(HttpMethod.Delete, $"/eventsub/conduits?id={ids[0]}");
        using var badCount = await app.HelixAsync(HttpMethod.Post, "/eventsub/conduits", new { shard_count = 0 });

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal(ids.Order(), listed.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Order());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCount.StatusCode);
    }

    [Fact]
    public async Task Patching_a_vanished_conduit_is_404()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var response = await app.HelixAsync(HttpMethod.Patch, "/eventsub/conduits/shards", new
        {
            conduit_id = Guid.NewGuid().ToString(),
            shards = new[] { new { id = "0", transport = new { method = "webhook", callback = "http://127.0.0.1:9/x", secret = Secret } } },
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string?> ShardStatusAsync(StandInApp app, string conduit)
    {
        using var response = await app.HelixAsync(HttpMethod.Get, $"/eventsub/conduits/shards?conduit_id={conduit}");
        using var body = await StandInApp.ReadJsonAsync(response);
        return body.RootElement.GetProperty("data")[0].GetProperty("status").GetString();
    }
}
