namespace ChatPulse.AppHost;

/// <summary>
/// Twitch for local runs and tests: the ChatPulse.TwitchStandIn project (OAuth, Helix, EventSub deliveries, a chat
/// page). Only in run mode and only while no real Twitch app is configured; never in the publish manifest.
/// </summary>
public static class TwitchStandIn
{
    public const string ResourceName = "twitch";

    /// <summary>The stand-in, or null in publish mode or when <c>Parameters:twitch-client-id</c> names a real app.</summary>
    public static IResourceBuilder<ProjectResource>? AddTwitchStandIn(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode || !string.IsNullOrWhiteSpace(builder.Configuration["Parameters:twitch-client-id"]))
        {
            return null;
        }

        return builder.AddProject<Projects.ChatPulse_TwitchStandIn>(ResourceName)
            .WithHttpHealthCheck("/health/ready");
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

        var twitch = standIn.GetEndpoint("http");
        standIn.WithEnvironment("TWITCH_CLIENT_ID", settings.TwitchClientId)
            .WithEnvironment("TWITCH_CLIENT_SECRET", settings.TwitchClientSecret)
            .WithEnvironment("TWITCH_REDIRECT_URI", settings.RedirectUriOf(api))
            .WithEnvironment("BOT_USER_ID", settings.BotUserId);

        return api.WithEnvironment("TWITCH_AUTH_BASE_URL", twitch)
            .WithEnvironment("TWITCH_HELIX_BASE_URL", ReferenceExpression.Create($"{twitch}/helix"))
            .WaitFor(standIn);
    }
}
