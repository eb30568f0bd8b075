using AngleSharp.Html.Dom;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// The global Redis outage answer, through a real endpoint that needs Redis and has no handling of its own (the
/// dashboard's "reset to center" publishes an event): with the replica's Redis cut it is a 503 with Retry-After, never
/// a 500, and once Redis answers again the same button works.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RedisUnavailableTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_request_that_needs_redis_while_it_is_cut_is_a_503_with_retry_after()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var proxy = TcpProxy.ForRedis(redis.ConnectionString);
        await using var replica = await ApiInstance.StartAsync(fixture, env => env["ConnectionStrings__redis"] = proxy.RewriteRedis(redis.ConnectionString));
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(replica, "redisdown");
        var page = await visitor.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=reset]")!.Closest("form")!;
        var action = Visitor.ActionOf(form, visitor.Resolve("/dashboard"));
        var fields = Visitor.FieldsOf(form).ToList();

        proxy.Cut();
        await replica.WaitUntilFailingAsync("redis");
        using var whileCut = await visitor.PostFormAsync(action, fields);
        proxy.Restore();
        await replica.WaitUntilReadyAsync();
        using var after = await visitor.PostFormAsync(action, fields);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileCut.StatusCode);
        Assert.NotNull(whileCut.Headers.RetryAfter);
        Assert.Contains("Live data unavailable", await whileCut.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }
}
