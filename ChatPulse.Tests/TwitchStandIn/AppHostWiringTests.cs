using ChatPulse.Tests.Foundation;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>The AppHost runs the stand-in as <c>twitch</c> in local runs only, and points the API at it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostWiringTests(AppHostFixture fixture)
{
    [Fact]
    public async Task The_api_talks_to_the_stand_in_and_the_stand_in_knows_the_apis_app_registration()
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var api = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "chatpulse");
        var twitch = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "twitch");

        var apiEnvironment = await EnvironmentOfAsync(api);
        var twitchEnvironment = await EnvironmentOfAsync(twitch);

        Assert.Equal(fixture.TwitchStandInBaseAddress.ToString().TrimEnd('/'), apiEnvironment["TWITCH_AUTH_BASE_URL"]);
        Assert.Equal(fixture.TwitchStandInBaseAddress.ToString().TrimEnd('/') + "/helix", apiEnvironment["TWITCH_HELIX_BASE_URL"]);
        foreach (var name in new[] { "TWITCH_CLIENT_ID", "TWITCH_CLIENT_SECRET", "TWITCH_REDIRECT_URI", "BOT_USER_ID" })
        {
            Assert.Equal(apiEnvironment[name], twitchEnvironment[name]);
        }

        // The API's registration is live on the stand-in: its client id and secret get an app token.
        using var token = await fixture.TwitchStandIn.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = apiEnvironment["TWITCH_CLIENT_ID"], ["client_secret"] = apiEnvironment["TWITCH_CLIENT_SECRET"], ["grant_type"] = "client_credentials",
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task The_stand_in_keeps_its_state_in_the_apphosts_data_directory_beside_postgres()
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var twitch = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "twitch");
        var postgres = model.Resources.OfType<ExecutableResource>().SingleOrDefault(r => r.Name == "postgres");

        var stateFile = (await EnvironmentOfAsync(twitch))["StandIn__StateFile"];

        Assert.Equal(Path.Combine("twitch", "state.json"), Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(stateFile))!, stateFile));
        if (postgres is not null)
        {
            Assert.Equal(Path.GetDirectoryName(postgres.WorkingDirectory), Path.GetDirectoryName(Path.GetDirectoryName(stateFile)));
        }

        // The seeded bot and the API's app are written at start.
        Assert.Contains(fixture.ApiEnvironment["TWITCH_CLIENT_ID"], await File.ReadAllTextAsync(stateFile));
    }

    [Fact]
    public async Task The_api_sets_up_its_conduit_on_the_stand_in_with_shard_0_pointing_at_its_webhook()
    {
        var environment = fixture.ApiEnvironment;
        using var token = await fixture.TwitchStandIn.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = environment["TWITCH_CLIENT_ID"], ["client_secret"] = environment["TWITCH_CLIENT_SECRET"], ["grant_type"] = "client_credentials",
        }));
        using var tokenBody = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        var appToken = tokenBody.RootElement.GetProperty("access_token").GetString()!;

        string? callback = null;
        await Waits.Until(async () =>
        {
            using var conduits = System.Text.Json.JsonDocument.Parse(await HelixGetAsync("/helix/eventsub/conduits", environment["TWITCH_CLIENT_ID"], appToken));
            var ids = conduits.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
            if (ids.Count != 1)
            {
                return false;
            }

            using var shards = System.Text.Json.JsonDocument.Parse(await HelixGetAsync($"/helix/eventsub/conduits/shards?conduit_id={ids[0]}", environment["TWITCH_CLIENT_ID"], appToken));
            callback = shards.RootElement.GetProperty("data")[0].GetProperty("transport").GetProperty("callback").GetString();
            return callback is not null;
        }, Waits.Short, "the API's conduit");

        Assert.Equal(environment["WEBHOOK_CALLBACK_URL"], callback);
    }

    private async Task<string> HelixGetAsync(string path, string clientId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Client-Id", clientId);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await fixture.TwitchStandIn.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource)
    {
        var context = fixture.App.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var configuration = await ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig()
            .BuildAsync(context, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
    }

    [Fact]
    public async Task A_configured_twitch_app_means_real_twitch_and_no_stand_in()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
            ["Parameters:twitch-client-id=real-app", "Parameters:twitch-client-secret=real-secret"]);

        Assert.DoesNotContain(builder.Resources, r => r.Name == "twitch");
        var api = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "chatpulse");
        Assert.DoesNotContain(api.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "twitch");
    }

    [Fact]
    public async Task The_publish_manifest_has_no_stand_in()
    {
        using var manifest = await AppHostManifest.PublishAsync();

        Assert.False(manifest.RootElement.GetProperty("resources").TryGetProperty("twitch", out _));
    }
}
