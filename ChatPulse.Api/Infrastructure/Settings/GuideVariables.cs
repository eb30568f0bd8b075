namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>
/// Maps the deployment guide's environment variables (DATABASE_URL, WEBHOOK_SECRET, …) onto the configuration
/// keys the options classes and Aspire's client integrations bind. Aspire's own keys
/// (<c>ConnectionStrings:chatpulsedb</c>, <c>ConnectionStrings:redis</c>) win when both are present.
/// </summary>
public static class GuideVariables
{
    public const string DatabaseConnectionName = "chatpulsedb";
    public const string RedisConnectionName = "redis";

    /// <summary>Environment variable → configuration key, for values taken as they are.</summary>
    public static readonly IReadOnlyDictionary<string, string> Plain = new Dictionary<string, string>
    {
        ["APP_ENV"] = "App:Environment",
        ["MAX_WEBSOCKET_CONNECTIONS"] = "App:MaxWebSocketConnections",
        ["MAX_OVERLAY_SOCKETS_PER_ID"] = "App:MaxOverlaySocketsPerId",
        ["MAX_OVERLAY_SOCKETS_PER_CLIENT"] = "App:MaxOverlaySocketsPerClient",
        ["SHUTDOWN_TIMEOUT"] = "App:ShutdownTimeout",
        ["LOG_FORMAT"] = "App:LogFormat",
        ["TRUSTED_PROXIES"] = "App:TrustedProxies",
        ["TWITCH_CLIENT_ID"] = "Twitch:ClientId",
        ["TWITCH_CLIENT_SECRET"] = "Twitch:ClientSecret",
        ["TWITCH_REDIRECT_URI"] = "Twitch:RedirectUri",
        ["TWITCH_AUTH_BASE_URL"] = "Twitch:AuthBaseUrl",
        ["TWITCH_HELIX_BASE_URL"] = "Twitch:HelixBaseUrl",
        ["WEBHOOK_CALLBACK_URL"] = "Twitch:WebhookCallbackUrl",
        ["WEBHOOK_SECRET"] = "Twitch:WebhookSecret",
        ["BOT_USER_ID"] = "Twitch:BotUserId",
        ["SESSION_SECRET"] = "Security:SessionSecret",
        ["TOKEN_ENCRYPTION_KEY"] = "Security:TokenEncryptionKey",
        ["SESSION_MAX_AGE"] = "Security:SessionMaxAge",
        ["SESSION_ABSOLUTE_MAX_AGE"] = "Security:SessionAbsoluteMaxAge",
        ["DEPENDENCY_GRACE_PERIOD"] = "Connections:DependencyGracePeriod",
        // The mood timeline (Timeline/).
        ["TIMELINE_INTERVAL"] = "Timeline:Interval",
        ["TIMELINE_RETENTION_DAYS"] = "Timeline:RetentionDays",
    };

    /// <summary>Adds the mapped values on top of <paramref name="configuration"/>.</summary>
    public static void AddGuideVariables(this IConfigurationManager configuration)
    {
        var mapped = new Dictionary<string, string?>();
        foreach (var (variable, key) in Plain)
        {
            if (configuration[variable] is { Length: > 0 } value && string.IsNullOrEmpty(configuration[key]))
            {
                mapped[key] = value;
            }
        }

        MapConnection(configuration, mapped, "DATABASE_URL", DatabaseConnectionName, DatabaseUrl.ToNpgsql);
        MapConnection(configuration, mapped, "REDIS_URL", RedisConnectionName, RedisUrl.ToStackExchange);

        if (configuration["LOG_LEVEL"] is { Length: > 0 } level)
        {
            mapped["Logging:LogLevel:Default"] = LogLevels.Parse(level).ToString();
        }

        // PORT (default 8080) applies only when nothing else chose the listening address.
        var urlsChosen = new[] { "urls", "ASPNETCORE_URLS", "http_ports", "ASPNETCORE_HTTP_PORTS", "Kestrel:Endpoints" }
            .Any(k => !string.IsNullOrEmpty(configuration[k]) || configuration.GetSection(k).GetChildren().Any());
        if (!urlsChosen)
        {
            var port = configuration["PORT"] is { Length: > 0 } p ? p : "8080";
            if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
            {
                throw new InvalidSettingException("PORT", $"must be a TCP port number 1–65535 (was '{port}')");
            }

            mapped["urls"] = $"http://+:{number}";
        }

        configuration.AddInMemoryCollection(mapped);
    }

    private static void MapConnection(IConfiguration configuration, Dictionary<string, string?> mapped,
        string variable, string connectionName, Func<string, string> convert)
    {
        if (string.IsNullOrEmpty(configuration.GetConnectionString(connectionName))
            && configuration[variable] is { Length: > 0 } url)
        {
            mapped[$"ConnectionStrings:{connectionName}"] = convert(url);
        }
    }
}
