using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatPulse.Tests.Foundation;

/// <summary>Each start-up rule, through the real mapping and validators, in both the guide's and Aspire's forms.</summary>
public sealed class SettingsValidationTests
{
    [Fact]
    public void Valid_guide_settings_pass()
    {
        var services = Build(ApiServices.ValidGuideSettings());

        Assert.Equal("dev-webhook-4f1c9a", services.GetRequiredService<IOptions<TwitchOptions>>().Value.WebhookSecret);
        Assert.Contains("Host=localhost", services.GetRequiredService<IOptions<ConnectionOptions>>().Value.Database);
        Assert.Equal(TimeSpan.FromDays(7), services.GetRequiredService<IOptions<SecurityOptions>>().Value.SessionMaxAgeValue);
    }

    [Fact]
    public void Aspire_connection_strings_win_over_the_urls()
    {
        var settings = ApiServices.ValidGuideSettings();
        settings["ConnectionStrings:chatpulsedb"] = "Host=aspire-db;Database=chatpulsedb";
        settings["ConnectionStrings:redis"] = "aspire-redis:6379";

        var connections = Build(settings).GetRequiredService<IOptions<ConnectionOptions>>().Value;

        Assert.Equal("Host=aspire-db;Database=chatpulsedb", connections.Database);
        Assert.Equal("aspire-redis:6379", connections.Redis);
    }

    [Theory]
    [InlineData("WEBHOOK_SECRET", "short", "WEBHOOK_SECRET: must be 10–100")]
    [InlineData("WEBHOOK_SECRET", "", "WEBHOOK_SECRET: must be 10–100")]
    [InlineData("TOKEN_ENCRYPTION_KEY", "abc", "TOKEN_ENCRYPTION_KEY: must be 64 hex characters")]
    [InlineData("TOKEN_ENCRYPTION_KEY", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "TOKEN_ENCRYPTION_KEY: must be 64 hex characters")]
    [InlineData("SESSION_SECRET", "too-short", "SESSION_SECRET: must be at least 32 characters")]
    [InlineData("SESSION_MAX_AGE", "forever", "SESSION_MAX_AGE: must be a duration")]
    [InlineData("SESSION_ABSOLUTE_MAX_AGE", "forever", "SESSION_ABSOLUTE_MAX_AGE: must be a duration")]
    [InlineData("SESSION_ABSOLUTE_MAX_AGE", "5s", "SESSION_ABSOLUTE_MAX_AGE: must be a duration between 10s and 365 days")]
    [InlineData("TWITCH_CLIENT_ID", "", "TWITCH_CLIENT_ID: is required")]
    [InlineData("TWITCH_CLIENT_SECRET", "", "TWITCH_CLIENT_SECRET: is required")]
    [InlineData("BOT_USER_ID", "bot", "BOT_USER_ID: must be the bot's numeric Twitch user id")]
    [InlineData("TWITCH_REDIRECT_URI", "/auth/callback", "TWITCH_REDIRECT_URI: must be an absolute http(s) URL")]
    [InlineData("WEBHOOK_CALLBACK_URL", "ftp://x/y", "WEBHOOK_CALLBACK_URL: must be an absolute http(s) URL")]
    [InlineData("APP_ENV", "prod", "APP_ENV: must be one of")]
    [InlineData("MAX_WEBSOCKET_CONNECTIONS", "0", "MAX_WEBSOCKET_CONNECTIONS: must be a positive whole number")]
    [InlineData("MAX_OVERLAY_SOCKETS_PER_ID", "0", "MAX_OVERLAY_SOCKETS_PER_ID: must be a positive whole number")]
    [InlineData("MAX_OVERLAY_SOCKETS_PER_CLIENT", "-1", "MAX_OVERLAY_SOCKETS_PER_CLIENT: must be a positive whole number")]
    [InlineData("SHUTDOWN_TIMEOUT", "soon", "SHUTDOWN_TIMEOUT: must be a duration")]
    [InlineData("LOG_FORMAT", "xml", "LOG_FORMAT: must be text or json")]
    [InlineData("DEPENDENCY_GRACE_PERIOD", "11m", "DEPENDENCY_GRACE_PERIOD: must be a duration between 0s and 10m")]
    public void Invalid_setting_is_named_with_its_rule(string setting, string value, string expected)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings[setting] = value;

        var error = Assert.ThrowsAny<Exception>(() => Validate(Build(settings)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("DATABASE_URL", "", "DATABASE_URL (or ConnectionStrings:chatpulsedb): is required")]
    [InlineData("REDIS_URL", "", "REDIS_URL (or ConnectionStrings:redis): is required")]
    public void Missing_connection_is_named_in_both_forms(string setting, string value, string expected)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings[setting] = value;

        var error = Assert.Throws<OptionsValidationException>(() => Validate(Build(settings)));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("?sslmode=disable")]
    [InlineData("?sslmode=allow")]
    [InlineData("?sslmode=prefer")]
    [InlineData("")] // left out: Npgsql would prefer TLS, and fall back to none
    public void Production_refuses_a_database_without_tls(string query)
    {
        var settings = ApiServices.ProductionSettings();
        settings["DATABASE_URL"] = $"postgres://u:p@db:5432/chatpulse{query}";

        var error = Assert.Throws<OptionsValidationException>(() => Validate(Build(settings)));

        Assert.Contains("APP_ENV=production refuses a database connection", error.Message);
    }

    [Fact]
    public void Production_refuses_tls_off_in_the_aspire_form_too()
    {
        var settings = ApiServices.ProductionSettings();
        settings["ConnectionStrings:chatpulsedb"] = "Host=db;Database=chatpulsedb;SSL Mode=Disable";

        var error = Assert.Throws<OptionsValidationException>(() => Validate(Build(settings)));

        Assert.Contains("DATABASE_URL (or ConnectionStrings:chatpulsedb)", error.Message);
    }

    [Fact]
    public void Production_accepts_required_tls_and_https_urls()
    {
        Validate(Build(ApiServices.ProductionSettings()));
    }

    [Theory]
    [InlineData("WEBHOOK_CALLBACK_URL", "http://chatpulse.example.com/webhooks/eventsub")]
    [InlineData("TWITCH_REDIRECT_URI", "http://chatpulse.example.com/auth/callback")]
    public void Production_requires_https_callbacks(string setting, string value)
    {
        var settings = ApiServices.ProductionSettings();
        settings[setting] = value;

        var error = Assert.Throws<OptionsValidationException>(() => Validate(Build(settings)));

        Assert.Contains($"{setting}: must use https", error.Message);
    }

    [Theory]
    [InlineData("ConnectionStrings:chatpulsedb", "Host=db;Colour=blue", "DATABASE_URL (or ConnectionStrings:chatpulsedb): is not a valid connection string")]
    [InlineData("ConnectionStrings:redis", "localhost:6379,colour=blue", "REDIS_URL (or ConnectionStrings:redis): is not a valid Redis configuration")]
    public void Malformed_aspire_connection_string_is_named(string key, string value, string expected)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings[key] = value; // the Aspire form wins over DATABASE_URL / REDIS_URL

        var error = Assert.Throws<OptionsValidationException>(() => Validate(Build(settings)));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("PORT", "99999", "PORT: must be a TCP port")]
    [InlineData("LOG_LEVEL", "loud", "LOG_LEVEL: must be")]
    [InlineData("DATABASE_URL", "mysql://x/y", "DATABASE_URL: must be a postgres://")]
    public void Settings_read_while_configuring_fail_with_their_name(string setting, string value, string expected)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings[setting] = value;

        var error = Assert.Throws<InvalidSettingException>(() => Build(settings));

        Assert.StartsWith(expected, error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        ApiServices.Builder(settings).Services.BuildServiceProvider();

    private static void Validate(ServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<AppOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TwitchOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ConnectionOptions>>().Value;
    }
}
