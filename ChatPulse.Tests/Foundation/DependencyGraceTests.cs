using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// Readiness through a dependency loss, on a replica of this class's own whose Postgres and Redis are reached through
/// proxies it cuts: degraded (200) during DEPENDENCY_GRACE_PERIOD, 503 after it, liveness 200 throughout, and no
/// exception text, host or port in the public bodies.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DependencyGraceTests(AppHostFixture fixture) : IAsyncLifetime
{
    private TcpProxy _postgres = null!;
    private TcpProxy _redis = null!;
    private ApiInstance _api = null!;

    public async Task InitializeAsync()
    {
        _postgres = TcpProxy.ForPostgres(fixture.DatabaseConnectionString);
        _redis = TcpProxy.ForRedis(fixture.RedisConnectionString);
        var environment = fixture.SharedApiEnvironment();
        environment["ConnectionStrings__chatpulsedb"] = _postgres.RewritePostgres(fixture.DatabaseConnectionString) + ";Timeout=2";
        environment["ConnectionStrings__redis"] = _redis.RewriteRedis(fixture.RedisConnectionString) + ",connectTimeout=1000";
        environment["DEPENDENCY_GRACE_PERIOD"] = "3s";
        _api = await ApiInstance.StartAsync(environment);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _postgres.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    public async Task A_lost_dependency_is_degraded_within_the_grace_period_then_503_and_liveness_stays_200(string check)
    {
        var proxy = check == "postgres" ? _postgres : _redis;
        var upstreamPort = check == "postgres" ? new Npgsql.NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString).Port.ToString()
            : fixture.RedisConnectionString.Split(',')[0].Split(':')[^1];
        var bodies = new List<string>();
        var lives = new List<HttpStatusCode>();

        proxy.Cut();
        try
        {
            // The first failing probe starts the grace period, so the first answer that is not healthy is degraded.
            var first = await NextAsync(report => report.Status != "Healthy", "readiness to notice the loss");
            var late = await NextAsync(report => report.Status == "Unhealthy", "the grace period to pass");

            Assert.Equal((HttpStatusCode.OK, "Degraded", check), (first.Code, first.Status, string.Join(",", first.Failing)));
            Assert.Equal("Degraded", first.Checks[check]);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, check), (late.Code, string.Join(",", late.Failing)));
            using var startup = await _api.Client.GetAsync("/health/startup");
            bodies.Add(await startup.Content.ReadAsStringAsync());
            Assert.All(lives, live => Assert.Equal(HttpStatusCode.OK, live));
            Assert.All(bodies, body =>
            {
                foreach (var secret in new[] { "127.0.0.1", "localhost", proxy.Port.ToString(), upstreamPort, "xception", "refused", "reset" })
                {
                    Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
                }
            });
        }
        finally
        {
            proxy.Restore();
        }

        await NextAsync(report => report.Status == "Healthy", "readiness to recover");
        // The failure is logged with its detail once per state change, not once per probe.
        Assert.Single(Lines($"Readiness: {check} is failing"));
        Assert.Single(Lines($"Readiness: {check} has failed for longer than the grace period"));
        Assert.NotEmpty(Lines($"Readiness: {check} answers again"));
        Assert.Empty(Lines($"Health check {check} with status")); // the framework's line per probe is off

        async Task<Report> NextAsync(Func<Report, bool> wanted, string what)
        {
            Report? found = null;
            await Waits.Until(async () =>
            {
                using var ready = await _api.Client.GetAsync("/health/ready");
                using var live = await _api.Client.GetAsync("/health/live");
                var body = await ready.Content.ReadAsStringAsync();
                bodies.Add(body);
                lives.Add(live.StatusCode);
                var report = Report.Parse(ready.StatusCode, body);
                found = wanted(report) ? report : null;
                return found is not null;
            }, Waits.Short, what);
            return found!;
        }
    }

    private string[] Lines(string text) => _api.Output.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal)).ToArray();

    private sealed record Report(HttpStatusCode Code, string Status, string[] Failing, Dictionary<string, string> Checks)
    {
        public static Report Parse(HttpStatusCode code, string body)
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return new Report(code, root.GetProperty("status").GetString()!,
                root.GetProperty("failing").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                root.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("status").GetString()!));
        }
    }
}
