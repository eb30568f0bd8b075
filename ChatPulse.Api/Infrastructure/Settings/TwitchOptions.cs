using System.Text.RegularExpressions;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>Twitch app credentials, the bot account, the webhook, and where Twitch lives (real or the stand-in).</summary>
public sealed partial class TwitchOptions
{
    public const string Section = "Twitch";

    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string WebhookCallbackUrl { get; set; } = "";
    public string WebhookSecret { get; set; } = "";
    public string BotUserId { get; set; } = "";

    /// <summary>OAuth base; the real one unless a stand-in is configured (TWITCH_AUTH_BASE_URL).</summary>
    public string AuthBaseUrl { get; set; } = "https://id.twitch.tv";

    /// <summary>Helix base; the real one unless a stand-in is configured (TWITCH_HELIX_BASE_URL).</summary>
    public string HelixBaseUrl { get; set; } = "https://api.twitch.tv/helix";

    [GeneratedRegex("^[\\x21-\\x7E]{10,100}$")]
    internal static partial Regex WebhookSecretRule();

    [GeneratedRegex("^[0-9]{1,20}$")]
    internal static partial Regex TwitchUserIdRule();
}

internal sealed class TwitchOptionsValidator(IOptions<AppOptions> app) : IValidateOptions<TwitchOptions>
{
    public ValidateOptionsResult Validate(string? name, TwitchOptions options)
    {
        var errors = new List<string>();
        Require(errors, "TWITCH_CLIENT_ID", options.ClientId);
        Require(errors, "TWITCH_CLIENT_SECRET", options.ClientSecret);
        if (!TwitchOptions.WebhookSecretRule().IsMatch(options.WebhookSecret))
        {
            errors.Add("WEBHOOK_SECRET: must be 10–100 printable ASCII characters without spaces"
                + (options.WebhookSecret.Length == 0 ? " (missing)" : $" (was {options.WebhookSecret.Length} characters)"));
        }
        else if (SecretRules.LooksLikePlaceholder(options.WebhookSecret))
        {
            errors.Add($"WEBHOOK_SECRET: {SecretRules.NotPlaceholder}; {SecretRules.Recipe}");
        }
        else if (app.Value.IsProduction && options.WebhookSecret.Length < 32)
        {
            // Anyone who knows it signs votes for every streamer: production wants a generated one, not a typed one.
            errors.Add($"WEBHOOK_SECRET: must be at least 32 characters when APP_ENV=production; {SecretRules.Recipe} (was {options.WebhookSecret.Length} characters)");
        }

        if (!TwitchOptions.TwitchUserIdRule().IsMatch(options.BotUserId))
        {
            errors.Add($"BOT_USER_ID: must be the bot's numeric Twitch user id (was '{options.BotUserId}')");
        }
        else if (SecretRules.LooksLikePlaceholder(options.BotUserId))
        {
            errors.Add($"BOT_USER_ID: {SecretRules.NotPlaceholder} (was '{options.BotUserId}')");
        }

        var production = app.Value.IsProduction;
        AbsoluteUrl(errors, "TWITCH_REDIRECT_URI", options.RedirectUri, requireHttps: production);
        AbsoluteUrl(errors, "WEBHOOK_CALLBACK_URL", options.WebhookCallbackUrl, requireHttps: production);
        AbsoluteUrl(errors, "TWITCH_AUTH_BASE_URL", options.AuthBaseUrl, requireHttps: production);
        AbsoluteUrl(errors, "TWITCH_HELIX_BASE_URL", options.HelixBaseUrl, requireHttps: production);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Require(List<string> errors, string setting, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{setting}: is required");
        }
        else if (SecretRules.LooksLikePlaceholder(value))
        {
            errors.Add($"{setting}: {SecretRules.NotPlaceholder}; use the value from the Twitch developer console");
        }
    }

    private static void AbsoluteUrl(List<string> errors, string setting, string value, bool requireHttps)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"{setting}: must be an absolute http(s) URL (was '{value}')");
        }
        else if (requireHttps && uri.Scheme != "https")
        {
            errors.Add($"{setting}: must use https when APP_ENV=production (was '{value}')");
        }
    }
}
