namespace ChatPulse.AppHost;

/// <summary>
/// Opt-in local replicas (<c>ChatPulse:Replicas</c>, default 1): <c>chatpulse-2</c>… beside <c>chatpulse</c>, with
/// the same settings, Postgres, Redis and Twitch app, so a developer sees cross-replica fan-out and presence in the
/// dashboard. Twitch knows one app: every replica names the first one's OAuth callback and webhook, as replicas behind
/// one load balancer name its address. Run mode only.
/// </summary>
public static class LocalReplicas
{
    public const string SettingName = "ChatPulse:Replicas";

    public static void AddLocalReplicas(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> redis,
        ChatPulseSettings settings, IResourceBuilder<ProjectResource>? standIn)
    {
        var configured = builder.Configuration[SettingName];
        var count = 1;
        if (!string.IsNullOrWhiteSpace(configured) && (!int.TryParse(configured, out count) || count is < 1 or > 8))
        {
            throw new InvalidOperationException($"{SettingName} must be a whole number from 1 to 8 (was '{configured}').");
        }

        // The first replica's addresses, as WithChatPulseSettings defaults them for it.
        var webhook = settings.WebhookCallbackUrl is { } callback
            ? ReferenceExpression.Create($"{callback}")
            : ReferenceExpression.Create($"{api.GetEndpoint("http")}/webhooks/eventsub");
        for (var i = 2; i <= count; i++)
        {
            var replica = builder.AddProject<Projects.ChatPulse_Api>($"{api.Resource.Name}-{i}")
                .WithHttpHealthCheck("/health/ready")
                .WithReference(database).WaitFor(database)
                .WithReference(redis).WaitFor(redis)
                .WithChatPulseSettings(settings)
                .WithEnvironment("TWITCH_REDIRECT_URI", settings.RedirectUriOf(api))
                .WithEnvironment("WEBHOOK_CALLBACK_URL", webhook)
                .WithApiLinks();
            if (standIn is not null)
            {
                replica.PointAtStandIn(standIn);
            }
        }
    }
}
