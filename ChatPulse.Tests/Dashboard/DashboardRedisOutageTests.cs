using System.Net;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// The dashboard through a Redis outage, on a <c>redis-server</c> of the test's own: the pages stay up and say the
/// overlay count is unknown; the count's JSON answers 503 with Retry-After. Never a 500.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardRedisOutageTests(AppHostFixture fixture)
{
    [Fact]
    public async Task With_Redis_down_the_dashboard_and_the_dock_show_the_count_as_unknown_and_its_json_is_a_503()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await ApiInstance.StartAsync(fixture, env => env["ConnectionStrings__redis"] = redis.ConnectionString);
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(replica, "outage");
        using var _ = visitor;
        var before = (await visitor.PageAsync("/dashboard")).QuerySelector("[data-testid=overlay-count]")!.TextContent;

        await redis.KillAsync();
        await replica.WaitUntilFailingAsync("redis");

        var dashboard = await visitor.PageAsync("/dashboard");
        var dock = await visitor.PageAsync("/dock");
        using var count = await visitor.GetAsync("/api/dashboard/overlays");

        Assert.Equal("0", before);
        Assert.Equal("?", dashboard.QuerySelector("[data-testid=overlay-count]")!.TextContent);
        Assert.Equal("?", dock.QuerySelector("[data-testid=overlay-count]")!.TextContent);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, count.StatusCode);
        Assert.Equal("application/problem+json", count.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(count.Headers.RetryAfter);
    }
}
