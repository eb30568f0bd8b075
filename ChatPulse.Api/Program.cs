using ChatPulse.Api.Accounts;
using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Timeline;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Votes;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddChatPulseSettings();
    builder.AddGracefulShutdown();
    builder.AddChatPulseTelemetry();
    builder.AddChatPulseData();
    builder.AddWebPlatform();
    builder.AddStreamers();
    builder.AddVotes();
    builder.AddPolls(); // their votes count in Votes' one script; their API is the dashboard's (Dashboard/DashboardApi.cs)
    builder.AddTwitch();
    builder.AddAccounts();
    builder.AddDashboard();
    builder.AddOverlay();
    builder.AddTimeline();

    var app = builder.Build();

    app.UseHttpMetrics();
    app.UseOverlaySockets(); // ahead of the page pipeline: an open socket holds what its request set up
    app.UseWebPlatform();
    app.MapDefaultEndpoints();
    app.MapVersion();
    app.MapTwitchWebhook();
    app.MapAccounts();
    app.MapDashboard();
    app.MapOverlay();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (InvalidSettingException.Describe(e) is { Count: > 0 } settings)
{
    // A line per wrong setting, naming it and the rule; the orchestrator shows them, the exit code stops the rollout.
    foreach (var setting in settings)
    {
        Console.Error.WriteLine($"chatpulse: invalid setting: {setting}");
    }

    return 2;
}
