using ChatPulse.AppHost;
using ChatPulse.AppHost.LocalServices;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres keeps streamers, configurations and subscriptions; Redis carries votes, presence and fan-out.
// Run mode without a container runtime: local postgres / redis-server processes (ChatPulse:Infrastructure).
var infrastructure = InfrastructureModeSelector.Resolve(builder);
var database = builder.AddChatPulseDatabase(infrastructure);
var redis = builder.AddChatPulseRedis(infrastructure);

// The API: every replica serves the dashboard, the webhook and the overlay sockets.
var api = builder.AddProject<Projects.ChatPulse_Api>("chatpulse")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health/ready");

if (builder.ExecutionContext.IsRunMode)
{
    // Secrets and deployment settings, one parameter each, named after the guide's environment variables.
    var settings = builder.AddChatPulseSettings();

    // Twitch: the real one, or for local runs without a Twitch app the stand-in (OAuth, Helix, EventSub, a chat page).
    var twitch = builder.AddTwitchStandIn();

    api.WithReference(database).WaitFor(database)
        .WithReference(redis).WaitFor(redis)
        .WithChatPulseSettings(settings)
        .WithTwitch(twitch, settings)
        .WithApiLinks();

    // ChatPulse:Replicas=2 adds chatpulse-2 with the same settings, to watch cross-replica fan-out locally.
    builder.AddLocalReplicas(api, database, redis, settings, twitch);
}
else
{
    // Kubernetes via Aspirate (aspirate-output/, k8s/): the pod reads DATABASE_URL, REDIS_URL and the settings from
    // the chatpulse-config ConfigMap and the operator's chatpulse-secrets Secret, so nothing secret is generated.
    api.PublishToKubernetes();
}

builder.Build().Run();
