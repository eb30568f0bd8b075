namespace ChatPulse.Api.Infrastructure.Settings;

public static class SettingsExtensions
{
    /// <summary>
    /// Reads the deployment guide's variables (docs/deployment-guide.md) and Aspire's keys, binds one options class per concern, and validates them here,
    /// before anything else is added, so a wrong setting stops the process with a line naming it (Program.cs).
    /// </summary>
    public static IHostApplicationBuilder AddChatPulseSettings(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddGuideVariables();
        builder.Services.AddChatPulseOptions();
        ValidateNow(builder.Configuration);

        if (builder.Configuration[$"{AppOptions.Section}:LogFormat"] == "json")
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        return builder;
    }

    private static IServiceCollection AddChatPulseOptions(this IServiceCollection services)
    {
        services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section).ValidateOnStart();
        services.AddOptions<TwitchOptions>().BindConfiguration(TwitchOptions.Section).ValidateOnStart();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddOptions<ConnectionOptions>()
            .BindConfiguration(ConnectionOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Database = configuration.GetConnectionString(GuideVariables.DatabaseConnectionName) ?? "";
                options.Redis = configuration.GetConnectionString(GuideVariables.RedisConnectionName) ?? "";
            })
            .ValidateOnStart();
        // The mood timeline (Timeline/).
        services.AddOptions<TimelineOptions>().BindConfiguration(TimelineOptions.Section).ValidateOnStart();

        services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidator>();
        services.AddSingleton<IValidateOptions<TwitchOptions>, TwitchOptionsValidator>();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<IValidateOptions<ConnectionOptions>, ConnectionOptionsValidator>();
        services.AddSingleton<IValidateOptions<TimelineOptions>, TimelineOptionsValidator>();
        return services;
    }

    /// <summary>
    /// Checks every setting before anything uses one: the Postgres and Redis integrations read their connection
    /// strings as they are added (a missing one is their own exception and stack trace), and nothing may connect
    /// first. Throws <see cref="OptionsValidationException"/>, or an <see cref="AggregateException"/> of them when
    /// several settings are wrong.
    /// </summary>
    private static void ValidateNow(IConfiguration configuration)
    {
        using var settings = new ServiceCollection().AddSingleton(configuration).AddChatPulseOptions().BuildServiceProvider();
        settings.GetRequiredService<IStartupValidator>().Validate();
    }
}
