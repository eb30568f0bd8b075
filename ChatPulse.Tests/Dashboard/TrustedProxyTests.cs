using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// Behind an ingress every request comes from the ingress's address: with TRUSTED_PROXIES the per-IP limits and the
/// logs use the client address the proxy forwards; from anyone else a forwarded address is ignored, so a client cannot
/// pick its own bucket — also with ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, which Aspire's Kubernetes output sets.
/// (A malformed TRUSTED_PROXIES stops the process: StartupSettingsTests; the shipped ranges from inside them:
/// TrustedProxyOptionsTests.)
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TrustedProxyTests(AppHostFixture fixture)
{
    private const string AspireVariable = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(bool aspireVariable)
    {
        await using var replica = await ApiInstance.StartAsync(fixture, environment =>
        {
            environment["TRUSTED_PROXIES"] = "127.0.0.0/8, ::1";
            if (aspireVariable)
            {
                environment[AspireVariable] = "true";
            }
        });
        using var proxy = LoopbackClient.Create(replica.BaseAddress); // one "ingress" address for every client

        var first = await BurstAsync(proxy, forwardedFor: "203.0.113.7", requests: 6);
        var second = await BurstAsync(proxy, forwardedFor: "198.51.100.20, 203.0.113.8", requests: 1);
        var logged = await LoggedClientAddressAsync(replica, proxy, forwardedFor: "203.0.113.9");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK], second);
        Assert.Equal("203.0.113.9", logged);
    }

    [Fact]
    public async Task With_the_aspire_variable_and_no_trusted_proxies_a_spoofed_address_changes_nothing()
    {
        await using var replica = await ApiInstance.StartAsync(fixture, environment => environment[AspireVariable] = "true");

        await AssertSpoofingChangesNothingAsync(replica);
    }

    [Fact]
    public async Task With_the_shipped_trusted_proxies_and_the_aspire_variable_a_sender_outside_them_cannot_spoof()
    {
        var shipped = KubernetesLayer.ShippedTrustedProxies();
        await using var replica = await ApiInstance.StartAsync(fixture, environment =>
        {
            environment["TRUSTED_PROXIES"] = shipped; // private ranges: loopback is not among them
            environment[AspireVariable] = "true";
        });

        await AssertSpoofingChangesNothingAsync(replica);
    }

    [Fact]
    public async Task Without_trusted_proxies_a_forwarded_address_is_ignored()
    {
        var replica = await ApiInstance.SharedAsync(fixture);
        using var client = LoopbackClient.Create(replica.BaseAddress);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.AddRange(await BurstAsync(client, forwardedFor: $"203.0.113.{i + 1}", requests: 1));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>A fresh address per request gets no fresh bucket, and the logs name the connection's address.</summary>
    private static async Task AssertSpoofingChangesNothingAsync(ApiInstance replica)
    {
        using var client = LoopbackClient.Create(replica.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.AddRange(await BurstAsync(client, forwardedFor: $"203.0.113.{i + 1}", requests: 1));
        }

        var source = LoopbackClient.NextAddress();
        using var other = LoopbackClient.Create(replica.BaseAddress, source);
        var logged = await LoggedClientAddressAsync(replica, other, forwardedFor: "203.0.113.99");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(source.ToString(), logged);
    }

    /// <summary>
    /// The client address in the logging scope of a request's log lines: a callback without OAuth state is refused and
    /// audited, and found by its correlation id.
    /// </summary>
    private static async Task<string?> LoggedClientAddressAsync(ApiInstance replica, HttpClient client, string forwardedFor)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/callback");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Correlation-ID", correlationId);
        using var response = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);

        var entry = await replica.WaitForLogAsync(e => e.ScopeValue("CorrelationId") == correlationId, "a log line of the callback");
        return entry.ScopeValue("ClientAddress");
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
