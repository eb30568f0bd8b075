using ChatPulse.Api.Accounts;
using ChatPulse.Api.Chat;
using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddChatPulseSettings();
    builder.AddChatPulseData();
    builder.AddWebPlatform();
    builder.AddStreamers();
    builder.AddChatPulseTwitch();
    builder.AddAccounts();
    builder.AddDashboard();

    var app = builder.Build();

    app.UseWebPlatform();
    app.MapDefaultEndpoints();
    app.MapVersion();
    app.MapAccounts();
    app.MapDashboard();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidSettingException or OptionsValidationException)
{
    // One line naming the setting and the rule; the orchestrator shows it, the exit code stops the rollout.
    Console.Error.WriteLine($"chatpulse: invalid setting: {e.Message}");
    return 2;
}
