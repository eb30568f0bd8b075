using System.Security.Cryptography;

namespace ChatPulse.AppHost;

/// <summary>
/// Every deployment setting of the guide as an Aspire parameter named after its environment variable in
/// kebab case, each with a working local default; a value from configuration
/// (<c>Parameters:webhook-secret</c>, user secrets, environment) wins. Run mode only: published for Kubernetes, the
/// settings come from the chatpulse-config ConfigMap and the chatpulse-secrets Secret (k8s/), not from parameters
/// Aspirate would have to be given and would write into a plain ConfigMap.
/// The secrets that sessions and webhooks depend on are generated once and kept in the AppHost's user secrets
/// (Aspire's persisted parameters), so restarting the AppHost keeps the developer logged in.
/// </summary>
public sealed record ChatPulseSettings(
    IResourceBuilder<ParameterResource> AppEnv,
    IResourceBuilder<ParameterResource> TwitchClientId,
    IResourceBuilder<ParameterResource> TwitchClientSecret,
    IResourceBuilder<ParameterResource> WebhookSecret,
    IResourceBuilder<ParameterResource> SessionSecret,
    IResourceBuilder<ParameterResource> TokenEncryptionKey,
    IResourceBuilder<ParameterResource> BotUserId,
    IResourceBuilder<ParameterResource>? TwitchRedirectUri,
    IResourceBuilder<ParameterResource>? WebhookCallbackUrl);

public static class SettingsExtensions
{
    public static ChatPulseSettings AddChatPulseSettings(this IDistributedApplicationBuilder builder) => new(
        AppEnv: builder.Setting("app-env", "development")
            .WithDescription("APP_ENV: development or production (production demands TLS to Postgres and https Twitch URLs)."),
        TwitchClientId: builder.Setting("twitch-client-id", "chatpulse-local-client")
            .WithDescription("TWITCH_CLIENT_ID: the Twitch app the API logs streamers in with; the stand-in registers the local one."),
        TwitchClientSecret: builder.Secret("twitch-client-secret", bytes: 24)
            .WithDescription("TWITCH_CLIENT_SECRET: the Twitch app's secret; locally new on every run, registered with the stand-in. Set it together with twitch-client-id."),
        WebhookSecret: builder.Secret("webhook-secret", bytes: 24, persist: true)
            .WithDescription("Signs EventSub deliveries (WEBHOOK_SECRET); generated once, kept in the AppHost's user secrets."),
        SessionSecret: builder.Secret("session-secret", bytes: 32, persist: true)
            .WithDescription("Binds session cookies (SESSION_SECRET); generated once, kept in the AppHost's user secrets, so a restart keeps you logged in."),
        TokenEncryptionKey: builder.Secret("token-encryption-key", bytes: 32, persist: true)
            .WithDescription("Encrypts the Data Protection key ring at rest (TOKEN_ENCRYPTION_KEY); generated once, kept in the AppHost's user secrets."),
        BotUserId: builder.Setting("bot-user-id", "100000001")
            .WithDescription("BOT_USER_ID: the Twitch user id of the bot account that reads every streamer's chat."),
        // In run mode these default to the API's own endpoint (see WithChatPulseSettings); only a configured value makes a parameter.
        TwitchRedirectUri: builder.OptionalSetting("twitch-redirect-uri")
            ?.WithDescription("TWITCH_REDIRECT_URI: where Twitch sends a streamer back after login (default: the API's own /auth/callback)."),
        WebhookCallbackUrl: builder.OptionalSetting("webhook-callback-url")
            ?.WithDescription("WEBHOOK_CALLBACK_URL: where Twitch delivers EventSub notifications (default: the API's own /webhooks/eventsub)."));

    /// <summary>Passes the settings to the API under the deployment guide's environment variable names.</summary>
    public static IResourceBuilder<ProjectResource> WithChatPulseSettings(this IResourceBuilder<ProjectResource> api, ChatPulseSettings settings)
    {
        var http = api.GetEndpoint("http");
        api.WithEnvironment("APP_ENV", settings.AppEnv)
            .WithEnvironment("TWITCH_CLIENT_ID", settings.TwitchClientId)
            .WithEnvironment("TWITCH_CLIENT_SECRET", settings.TwitchClientSecret)
            .WithEnvironment("WEBHOOK_SECRET", settings.WebhookSecret)
            .WithEnvironment("SESSION_SECRET", settings.SessionSecret)
            .WithEnvironment("TOKEN_ENCRYPTION_KEY", settings.TokenEncryptionKey)
            .WithEnvironment("BOT_USER_ID", settings.BotUserId);

        api.WithEnvironment("TWITCH_REDIRECT_URI", settings.RedirectUriOf(api));

        if (settings.WebhookCallbackUrl is { } callback)
        {
            api.WithEnvironment("WEBHOOK_CALLBACK_URL", callback);
        }
        else
        {
            api.WithEnvironment("WEBHOOK_CALLBACK_URL", ReferenceExpression.Create($"{http}/webhooks/eventsub"));
        }

        return api;
    }

    /// <summary>The OAuth redirect URI: the configured parameter, else (run mode) the API's own <c>/auth/callback</c>.</summary>
    public static ReferenceExpression RedirectUriOf(this ChatPulseSettings settings, IResourceBuilder<ProjectResource> api) =>
        settings.TwitchRedirectUri is { } redirect
            ? ReferenceExpression.Create($"{redirect}")
            : ReferenceExpression.Create($"{api.GetEndpoint("http")}/auth/callback");

    private static IResourceBuilder<ParameterResource> Setting(this IDistributedApplicationBuilder builder, string name, string localDefault) =>
        builder.AddParameter(name, new LocalDefault(() => localDefault));

    /// <param name="persist">
    /// Keep the generated value in the AppHost's user secrets (<c>Parameters:{name}</c>), so every later run uses it.
    /// Not for the Twitch client secret: a stored one would read as half of a real Twitch app (TwitchStandIn.cs).
    /// </param>
    private static IResourceBuilder<ParameterResource> Secret(this IDistributedApplicationBuilder builder, string name, int bytes,
        bool persist = false) =>
        builder.AddParameter(name, new LocalDefault(() => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant()),
            secret: true, persist: persist);

    private static IResourceBuilder<ParameterResource>? OptionalSetting(this IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{name}"])
            ? builder.AddParameter(name)
            : null;

    /// <summary>A run-mode default; never written to a publish manifest.</summary>
    private sealed class LocalDefault(Func<string> value) : ParameterDefault
    {
        private readonly Lazy<string> _value = new(value);

        public override string GetDefaultValue() => _value.Value;

        public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context) =>
            throw new InvalidOperationException("Local defaults exist only in run mode.");
    }
}
