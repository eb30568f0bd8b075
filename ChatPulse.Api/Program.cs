using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddChatPulseSettings();
    builder.AddChatPulseData();
    builder.AddStreamers();
    builder.AddOverlay();

    var app = builder.Build();

    app.MapDefaultEndpoints();
    app.UseWebSockets();
    app.MapVersion();
    app.MapOverlay();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidSettingException or OptionsValidationException)
{
    // One line naming the setting and the rule; the orchestrator shows it, the exit code stops the rollout.
    Console.Error.WriteLine($"chatpulse: invalid setting: {e.Message}");
    return 2;
}
