using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

[Collection(AppHostCollection.Name)]
public sealed class ReadinessTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Unreachable_redis_makes_readiness_503_naming_redis_while_liveness_stays_200()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["ConnectionStrings__redis"] = $"127.0.0.1:{ClosedPort()},abortConnect=false,connectTimeout=500";
        await using var api = ApiInstance.Start(environment);
        await api.WaitUntilListeningAsync();

        // Postgres and migrations come good; Redis never does.
        await Waits.Until(async () =>
        {
            using var body = JsonDocument.Parse(await api.Client.GetStringAsync("/health/live"));
            return body.RootElement.GetProperty("status").GetString() == "Healthy";
        }, Waits.Short, "liveness");

        using var ready = await api.Client.GetAsync("/health/ready");
        using var live = await api.Client.GetAsync("/health/live");
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("redis", report.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed
    }
}
