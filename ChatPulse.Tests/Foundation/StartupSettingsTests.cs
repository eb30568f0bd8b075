using ChatPulse.Tests.Support;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Foundation;

/// <summary>The real API process: a bad setting stops it with one line; the guide's URL forms run it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StartupSettingsTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("WEBHOOK_SECRET", "short", "WEBHOOK_SECRET: must be 10–100")]
    [InlineData("SESSION_SECRET", "your-session-secret-64-hex-chars", "SESSION_SECRET: must not be a placeholder")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/8, ingress-nginx",
        "TRUSTED_PROXIES: must be comma-separated IP addresses or CIDR ranges, e.g. 10.0.0.0/8 (was 'ingress-nginx')")]
    public async Task Bad_setting_stops_the_process_with_one_line_naming_it(string variable, string value, string expected)
    {
        var environment = fixture.SharedApiEnvironment();
        environment[variable] = value;
        await using var api = ApiInstance.Start(environment);

        var exitCode = await api.WaitForExitAsync(Waits.AppStart);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(api.Output.Split('\n'), l => l.Contains("invalid setting", StringComparison.Ordinal));
        Assert.Contains($"chatpulse: invalid setting: {expected}", line);
        Assert.DoesNotContain(" at ", api.Output); // no stack trace
    }

    [Fact]
    public async Task Missing_connections_stop_the_process_with_a_line_each_before_anything_connects()
    {
        var environment = fixture.SharedApiEnvironment();
        environment.Remove("ConnectionStrings__chatpulsedb");
        environment.Remove("ConnectionStrings__redis");
        await using var api = ApiInstance.Start(environment);

        var exitCode = await api.WaitForExitAsync(Waits.AppStart);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            [
                "chatpulse: invalid setting: DATABASE_URL (or ConnectionStrings:chatpulsedb): is required",
                "chatpulse: invalid setting: REDIS_URL (or ConnectionStrings:redis): is required",
            ],
            api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Bad_database_url_stops_the_process_naming_it()
    {
        var environment = fixture.SharedApiEnvironment();
        environment.Remove("ConnectionStrings__chatpulsedb");
        environment["DATABASE_URL"] = "mysql://nope";
        await using var api = ApiInstance.Start(environment);

        var exitCode = await api.WaitForExitAsync(Waits.AppStart);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("chatpulse: invalid setting: DATABASE_URL: must be a postgres://", api.Output);
    }

    [Fact]
    public async Task Guide_urls_alone_run_a_ready_api()
    {
        var environment = fixture.SharedApiEnvironment();
        environment.Remove("ConnectionStrings__chatpulsedb");
        environment.Remove("ConnectionStrings__redis");
        environment["DATABASE_URL"] = ToDatabaseUrl(fixture.DatabaseConnectionString);
        environment["REDIS_URL"] = ToRedisUrl(fixture.RedisConnectionString);
        await using var api = ApiInstance.Start(environment);

        await api.WaitUntilReadyAsync();

        using var ready = await api.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static string ToDatabaseUrl(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{Uri.EscapeDataString(b.Username!)}:{Uri.EscapeDataString(b.Password!)}@{b.Host}:{b.Port}/{b.Database}?sslmode=disable";
    }

    private static string ToRedisUrl(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        var endpoint = (DnsEndPoint)options.EndPoints.Single();
        return $"redis://:{Uri.EscapeDataString(options.Password ?? "")}@{endpoint.Host}:{endpoint.Port}";
    }
}
