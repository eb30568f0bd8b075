using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddChatPulseSettings();
    builder.AddGracefulShutdown();
    builder.AddHttpMetrics();
    builder.AddChatPulseData();

    var app = builder.Build();

    app.UseHttpMetrics();
    app.MapDefaultEndpoints();
    app.MapVersion();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidSettingException or OptionsValidationException)
{
    // One line naming the setting and the rule; the orchestrator shows it, the exit code stops the rollout.
    Console.Error.WriteLine($"chatpulse: invalid setting: {e.Message}");
    return 2;
}
