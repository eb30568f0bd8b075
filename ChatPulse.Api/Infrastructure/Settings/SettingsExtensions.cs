namespace ChatPulse.Api.Infrastructure.Settings;

public static class SettingsExtensions
{
    /// <summary>
    /// Reads the guide's variables and Aspire's keys, binds one options class per concern, and validates
    /// them at start-up so a wrong setting stops the process with a line naming it.
    /// </summary>
    public static IHostApplicationBuilder AddChatPulseSettings(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddGuideVariables();

        builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<TwitchOptions>().BindConfiguration(TwitchOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<ConnectionOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Database = configuration.GetConnectionString(GuideVariables.DatabaseConnectionName) ?? "";
                options.Redis = configuration.GetConnectionString(GuideVariables.RedisConnectionName) ?? "";
            })
            .ValidateOnStart();

        builder.Services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<TwitchOptions>, TwitchOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<ConnectionOptions>, ConnectionOptionsValidator>();

        if (builder.Configuration[$"{AppOptions.Section}:LogFormat"] == "json")
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        return builder;
    }
}
