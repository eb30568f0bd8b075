using Microsoft.Extensions.Configuration;

namespace ChatPulse.AppHost;

/// <summary>
/// Twitch for local runs and tests: the ChatPulse.TwitchStandIn project (OAuth, Helix, EventSub deliveries, a chat
/// page). Only in run mode and only while no real Twitch app is configured; never in the publish manifest.
/// </summary>
public static class TwitchStandIn
{
    public const string ResourceName = "twitch";

    private const string ClientIdSetting = "Parameters:twitch-client-id";
    private const string ClientSecretSetting = "Parameters:twitch-client-secret";

    /// <summary>
    /// The stand-in, or null in publish mode or when <c>Parameters:twitch-client-id</c> and
    /// <c>Parameters:twitch-client-secret</c> name a real app. In run mode one without the other stops the AppHost.
    /// </summary>
    public static IResourceBuilder<ProjectResource>? AddTwitchStandIn(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode || UsesRealTwitch(builder.Configuration))
        {
            return null;
        }

        // Beside the local Postgres data: the streamers stored there keep their Twitch ids across restarts.
        var stateFile = Path.Combine(builder.LocalDataRoot("twitch"), "state.json");
        return builder.AddProject<Projects.ChatPulse_TwitchStandIn>(ResourceName)
            .WithEnvironment("StandIn__StateFile", stateFile)
            .WithHttpHealthCheck("/health/ready")
            .WithStandInLinks();
    }

    /// <summary>
    /// A real Twitch app is configured as a pair. With only its id, the secret would be a random local one and every
    /// login would fail later at Twitch's token endpoint; with only its secret, the run would quietly use the stand-in.
    /// </summary>
    private static bool UsesRealTwitch(IConfiguration configuration)
    {
        var id = !string.IsNullOrWhiteSpace(configuration[ClientIdSetting]);
        var secret = !string.IsNullOrWhiteSpace(configuration[ClientSecretSetting]);
        if (id != secret)
        {
            var (set, missing) = id ? (ClientIdSetting, ClientSecretSetting) : (ClientSecretSetting, ClientIdSetting);
            throw new InvalidOperationException($"{set} is set but {missing} is not: a real Twitch app needs both "
                + $"(e.g. dotnet user-secrets --project ChatPulse.AppHost set {missing} …); set neither to use the local Twitch stand-in.");
        }

        return id;
    }

    /// <summary>
    /// Points the API at the stand-in (TWITCH_AUTH_BASE_URL, TWITCH_HELIX_BASE_URL) and registers the API with it
    /// as the app: the same client id, secret, redirect URI and bot user id the API uses.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTwitch(this IResourceBuilder<ProjectResource> api,
        IResourceBuilder<ProjectResource>? standIn, ChatPulseSettings settings)
    {
        if (standIn is null)
        {
            return api;
        }

        standIn.WithEnvironment("TWITCH_CLIENT_ID", settings.TwitchClientId)
            .WithEnvironment("TWITCH_CLIENT_SECRET", settings.TwitchClientSecret)
            .WithEnvironment("TWITCH_REDIRECT_URI", settings.RedirectUriOf(api))
            .WithEnvironment("BOT_USER_ID", settings.BotUserId)
            .WithStandInCommands(settings.TwitchClientId);

        return api.PointAtStandIn(standIn);
    }

    /// <summary>Sends the API's OAuth and Helix calls to the stand-in (TWITCH_AUTH_BASE_URL, TWITCH_HELIX_BASE_URL).</summary>
    public static IResourceBuilder<ProjectResource> PointAtStandIn(this IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> standIn)
    {
        var twitch = standIn.GetEndpoint("http");
        return api.WithEnvironment("TWITCH_AUTH_BASE_URL", twitch)
            .WithEnvironment("TWITCH_HELIX_BASE_URL", ReferenceExpression.Create($"{twitch}/helix"))
            .WaitFor(standIn);
    }
}
