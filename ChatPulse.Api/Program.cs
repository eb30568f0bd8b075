using ChatPulse.Api.Chat;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddChatPulseSettings();
    builder.AddChatPulseData();
    builder.AddStreamers();
    builder.AddChatPulseTwitch();
    builder.AddVotes();
    builder.AddChat();

    var app = builder.Build();

    app.UseRateLimiter();
    app.MapDefaultEndpoints();
    app.MapVersion();
    app.MapChat();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidSettingException or OptionsValidationException)
{
    // One line naming the setting and the rule; the orchestrator shows it, the exit code stops the rollout.
    Console.Error.WriteLine($"chatpulse: invalid setting: {e.Message}");
    return 2;
}
