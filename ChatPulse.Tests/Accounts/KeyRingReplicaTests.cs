using AngleSharp.Html.Dom;
using ChatPulse.Tests.Support;
using StackExchange.Redis;

namespace ChatPulse.Tests.Accounts;

/// <summary>
/// The key ring lives in Postgres: replicas that start together on an empty ring agree on one key, and a Redis that
/// comes back empty or a restart of every replica ends no session and no pending login.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class KeyRingReplicaTests(AppHostFixture fixture)
{
    /// <summary>A Redis database no other test uses, so flushing it touches only these replicas.</summary>
    private const int OwnRedisDatabase = 13;

    [Fact]
    public async Task Two_replicas_started_at_once_on_an_empty_ring_share_one_key_and_accept_each_others_cookies_state_and_antiforgery()
    {
        await using var database = new OwnDatabase(fixture);
        var replicas = await ApiInstance.StartTogetherAsync(fixture, 2, database.Use);
        await using var a = replicas[0];
        await using var b = replicas[1];

        // A login started on B (B protects the state) and finished on A (the Twitch app returns to A).
        using var visitor = b.NewVisitor();
        var callback = await TwitchLogin.ConsentAsync(visitor, await TwitchLogin.StartAsync(visitor), TwitchLogin.NewLogin("together"));
        using var landed = await visitor.GetAsync(callback);
        var onA = await visitor.PageAsync(new Uri(a.BaseAddress, "/dashboard").ToString());
        var onB = await visitor.PageAsync("/dashboard"); // A's cookie on B
        var logout = (IHtmlFormElement)onA.QuerySelector("form[action='/auth/logout']")!;
        using var loggedOut = await visitor.PostFormAsync(visitor.Resolve("/auth/logout"), Visitor.FieldsOf(logout)); // A's token on B

        Assert.Equal(a.BaseAddress.Authority, callback.Authority);
        Assert.Equal("/dashboard", landed.Headers.Location?.OriginalString);
        Assert.NotNull(onB.QuerySelector("[data-testid=overlay-url]"));
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.Equal("/", loggedOut.Headers.Location?.OriginalString);
        Assert.Equal(1L, await KeyCountAsync(a));
    }

    [Fact]
    public async Task Sessions_and_logins_survive_a_redis_that_comes_back_empty_and_a_restart_of_every_replica()
    {
        await using var database = new OwnDatabase(fixture);
        var redis = $"{fixture.RedisConnectionString},defaultDatabase={OwnRedisDatabase}";
        await using var a = (await ApiInstance.StartTogetherAsync(fixture, 1, environment =>
        {
            database.Use(environment);
            environment["ConnectionStrings__redis"] = redis;
        })).Single();
        using var visitor = a.NewVisitor();
        await TwitchLogin.LogInAsync(visitor, TwitchLogin.NewLogin("flushed"));

        // Redis restarts empty; a replica started after it must still know A's key.
        await FlushOwnRedisAsync();
        await using var b = await a.StartAnotherAsync();
        using var onB = visitor.WithSessionTo(b.BaseAddress);
        using var sessionOnB = await onB.GetAsync("/dashboard");
        using var pending = b.NewVisitor();
        var callback = await TwitchLogin.ConsentAsync(pending, await TwitchLogin.StartAsync(pending), TwitchLogin.NewLogin("pending"));
        using var finishedOnA = await pending.GetAsync(callback);

        // Every replica stops, Redis comes back empty again, a new replica starts.
        await a.DisposeAsync();
        await b.DisposeAsync();
        await FlushOwnRedisAsync();
        await using var c = await a.StartAnotherAsync();
        using var onC = visitor.WithSessionTo(c.BaseAddress);
        using var sessionOnC = await onC.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, sessionOnB.StatusCode);
        Assert.Equal(a.BaseAddress.Authority, callback.Authority);
        Assert.Equal("/dashboard", finishedOnA.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, sessionOnC.StatusCode);
        Assert.Equal(1L, await KeyCountAsync(c));
    }

    private async Task FlushOwnRedisAsync()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{fixture.RedisConnectionString},allowAdmin=true");
        await admin.GetServers().Single().FlushDatabaseAsync(OwnRedisDatabase);
    }

    private static async Task<long> KeyCountAsync(ApiInstance replica)
    {
        await using var command = replica.Database.CreateCommand("SELECT count(*) FROM data_protection_keys WHERE element = 'key'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
