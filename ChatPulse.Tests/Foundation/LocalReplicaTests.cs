using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// <c>ChatPulse:Replicas=2</c>: an AppHost of this test's own (its own data directory, Postgres and Redis) runs
/// <c>chatpulse-2</c> beside <c>chatpulse</c>, both healthy, with the same settings and the first one's Twitch addresses.
/// In the AppHost collection so its processes do not start beside the shared fixture's tests.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LocalReplicaTests
{
    [Fact]
    public async Task Replicas_2_runs_a_second_healthy_api_with_the_first_ones_settings_and_twitch_addresses()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-replicas-{Guid.NewGuid():N}");
        using var cts = new CancellationTokenSource(Waits.AppStart);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
            [$"ChatPulse:DataDirectory={dataDirectory}", "ChatPulse:Replicas=2"], cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        try
        {
            await using var app = await builder.BuildAsync(cts.Token);
            await app.StartAsync(cts.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("chatpulse", cts.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("chatpulse-2", cts.Token);

            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var first = await EnvironmentOfAsync(app, model.Resources.Single(r => r.Name == "chatpulse"));
            var second = await EnvironmentOfAsync(app, model.Resources.Single(r => r.Name == "chatpulse-2"));
            foreach (var name in new[] { "TWITCH_CLIENT_ID", "TWITCH_CLIENT_SECRET", "WEBHOOK_SECRET", "SESSION_SECRET", "TOKEN_ENCRYPTION_KEY",
                "TWITCH_REDIRECT_URI", "WEBHOOK_CALLBACK_URL", "TWITCH_AUTH_BASE_URL", "ConnectionStrings__chatpulsedb", "ConnectionStrings__redis" })
            {
                Assert.Equal(first[name], second[name]);
            }

            using var replica = app.CreateHttpClient("chatpulse-2", "http");
            using var ready = await replica.GetAsync("/health/ready", cts.Token);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.NotEqual(app.GetEndpoint("chatpulse", "http"), replica.BaseAddress);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Postgres may still be flushing; the temp folder is cleaned by the OS eventually.
            }
        }
    }

    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(DistributedApplication app, IResource resource)
    {
        var context = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var configuration = await ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig()
            .BuildAsync(context, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
    }

    [Fact]
    public async Task A_replica_count_that_is_not_1_to_8_stops_the_apphost_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(["ChatPulse:Replicas=two"]));

        Assert.Equal("ChatPulse:Replicas must be a whole number from 1 to 8 (was 'two').", error.Message);
    }
}
