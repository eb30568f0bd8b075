using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// Behind an ingress every request comes from the ingress's address: with TRUSTED_PROXIES the per-IP limits use the
/// client address the proxy forwards; without it a forwarded address is ignored, so a client cannot pick its own bucket.
/// (A malformed TRUSTED_PROXIES stops the process: StartupSettingsTests.)
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TrustedProxyTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit()
    {
        await using var replica = await LoginReplica.StartAsync(fixture, environment => environment["TRUSTED_PROXIES"] = "127.0.0.0/8, ::1");
        using var proxy = LoopbackClient.Create(replica.BaseAddress); // one "ingress" address for every client

        var first = await BurstAsync(proxy, forwardedFor: "203.0.113.7", requests: 6);
        var second = await BurstAsync(proxy, forwardedFor: "198.51.100.20, 203.0.113.8", requests: 1);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task Without_trusted_proxies_a_forwarded_address_is_ignored()
    {
        var replica = await LoginReplica.SharedAsync(fixture);
        using var client = LoopbackClient.Create(replica.BaseAddress);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.AddRange(await BurstAsync(client, forwardedFor: $"203.0.113.{i + 1}", requests: 1));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
    }

    private static async Task<List<HttpStatusCode>> BurstAsync(HttpClient client, string forwardedFor, int requests)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
