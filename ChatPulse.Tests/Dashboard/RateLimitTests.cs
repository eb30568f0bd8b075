using System.Net.Http.Json;
using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// Per-IP limits on a replica that sees real client addresses (no proxy in front), each "client" connecting from its
/// own loopback address.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RateLimitTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task Auth_routes_allow_a_burst_of_5_then_answer_429_with_retry_after_for_that_ip_only()
    {
        using var client = LoopbackClient.Create(_replica.BaseAddress);
        using var other = LoopbackClient.Create(_replica.BaseAddress);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await client.GetAsync("/login");
            statuses.Add(ok.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/login");
        request.Headers.Accept.ParseAdd("application/json");
        using var limited = await client.SendAsync(request);
        using var otherIp = await other.GetAsync("/login");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 6); // 10 a minute: one token every 6 s
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, otherIp.StatusCode);
    }

    [Fact]
    public async Task Dashboard_routes_allow_a_burst_of_10_then_429_while_health_and_version_stay_unlimited()
    {
        using var client = LoopbackClient.Create(_replica.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/");
            statuses.Add(response.StatusCode);
        }

        using var limited = await client.GetAsync("/");
        using var apiLimited = await client.GetAsync("/api/dashboard/overlays");
        var others = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var live = await client.GetAsync("/health/live");
            using var version = await client.GetAsync("/version");
            others.Add(live.StatusCode);
            others.Add(version.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.TooManyRequests, apiLimited.StatusCode);
        Assert.All(others, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
