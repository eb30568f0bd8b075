using System.Text.Json;
using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.Foundation;

[Collection(AppHostCollection.Name)]
public sealed class ReadinessTests(AppHostFixture fixture)
{
    /// <summary>What the migrations check says while another replica holds the lock.</summary>
    private const string WaitingForLock = "migrations waiting for the migration lock";

    [Fact]
    public async Task Unreachable_redis_makes_readiness_503_naming_redis_while_liveness_stays_200()
    {
        var environment = fixture.SharedApiEnvironment();
        var port = FreePort.Next(); // nobody listens there: Redis is unreachable
        environment["ConnectionStrings__redis"] = $"127.0.0.1:{port},abortConnect=false,connectTimeout=500";
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
        using var startup = await api.Client.GetAsync("/health/startup");
        var body = await ready.Content.ReadAsStringAsync();
        using var report = JsonDocument.Parse(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("redis", report.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        // Public bodies name the check and its state; the client's error text (host, port) goes to the log only.
        foreach (var text in new[] { body, await startup.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain("127.0.0.1", text);
            Assert.DoesNotContain(port.ToString(), text);
        }

        Assert.Contains($"127.0.0.1:{port}", api.Output);
    }

    [Fact]
    public async Task Startup_and_readiness_answer_503_naming_migrations_until_they_ran_while_liveness_stays_200()
    {
        // A new database whose migration lock is held here, as by another replica migrating it: this one must wait.
        await using var database = new OwnDatabase(fixture);
        await database.CreateEmptyAsync();
        await using var otherReplica = new NpgsqlConnection(database.ConnectionString);
        await otherReplica.OpenAsync();
        await AdvisoryLockAsync(otherReplica, "pg_advisory_lock");

        var environment = fixture.SharedApiEnvironment();
        database.Use(environment);
        await using var api = ApiInstance.Start(environment);
        await api.WaitUntilListeningAsync();
        await Waits.Until(async () => await ProbeAsync(api, "/health/ready") is { Failing: ["migrations"], Migrations: WaitingForLock },
            Waits.Short, "the API to wait for the migration lock, with Postgres and Redis healthy");

        var startup = await ProbeAsync(api, "/health/startup");
        var ready = await ProbeAsync(api, "/health/ready");
        var live = await ProbeAsync(api, "/health/live");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, WaitingForLock), (startup.Status, startup.Migrations));
        Assert.Equal(["migrations"], startup.Failing);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, WaitingForLock), (ready.Status, ready.Migrations));
        Assert.Equal(["migrations"], ready.Failing);
        Assert.Equal(HttpStatusCode.OK, live.Status);

        await AdvisoryLockAsync(otherReplica, "pg_advisory_unlock");
        await Waits.Until(async () => (await ProbeAsync(api, "/health/startup")).Status == HttpStatusCode.OK, Waits.AppStart, "startup to turn 200");

        var migrated = await ProbeAsync(api, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, migrated.Status);
        Assert.StartsWith("applied ", migrated.Migrations); // this replica ran them, once the lock was free
    }

    /// <summary>A probe's answer: its status, the checks it names as failing, and what the migrations check says.</summary>
    private sealed record Probe(HttpStatusCode Status, string[] Failing, string Migrations);

    private static async Task<Probe> ProbeAsync(ApiInstance api, string path)
    {
        using var response = await api.Client.GetAsync(path);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var failing = report.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var migrations = report.RootElement.GetProperty("checks").TryGetProperty("migrations", out var check) ? check.GetProperty("description").GetString() : null;
        return new Probe(response.StatusCode, failing, migrations ?? "");
    }

    /// <summary>Takes or releases the lock every replica's migration runner takes first.</summary>
    private static async Task AdvisoryLockAsync(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}($1)", connection);
        command.Parameters.AddWithValue(MigrationRunner.AdvisoryLockKey);
        await command.ExecuteNonQueryAsync();
    }
}
