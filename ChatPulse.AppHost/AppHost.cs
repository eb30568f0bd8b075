using ChatPulse.AppHost;
using ChatPulse.AppHost.LocalServices;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres keeps streamers, configurations and subscriptions; Redis carries votes, presence and fan-out.
// Run mode without a container runtime: local postgres / redis-server processes (ChatPulse:Infrastructure).
var infrastructure = InfrastructureModeSelector.Resolve(builder);
var database = builder.AddChatPulseDatabase(infrastructure);
var redis = builder.AddChatPulseRedis(infrastructure);

// Secrets and deployment settings, one parameter each, named after the guide's environment variables.
var settings = builder.AddChatPulseSettings();

// Twitch: the real one, or for local runs without a Twitch app the stand-in (OAuth, Helix, EventSub, a chat page).
var twitch = builder.AddTwitchStandIn();

// The API: every replica serves the dashboard, the webhook and the overlay sockets.
builder.AddProject<Projects.ChatPulse_Api>("chatpulse")
    .WithExternalHttpEndpoints()
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithChatPulseSettings(settings)
    .WithTwitch(twitch, settings)
    .WithHttpHealthCheck("/health/ready");

builder.Build().Run();
