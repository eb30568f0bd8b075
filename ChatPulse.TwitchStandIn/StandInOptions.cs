namespace ChatPulse.TwitchStandIn;

/// <summary>
/// The app registered with the stand-in and the seeded bot. Read from the same variables the API reads
/// (TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET, TWITCH_REDIRECT_URI, BOT_USER_ID), so one set of parameters serves both.
/// </summary>
public sealed class StandInOptions
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string BotUserId { get; set; } = "100000001";
    public string BotLogin { get; set; } = "chatpulsebot";

    /// <summary>Twitch's typical lifetimes: about 4 hours for user tokens, about 58 days for app tokens.</summary>
    public int UserTokenLifetimeSeconds { get; set; } = 14_124;
    public int AppTokenLifetimeSeconds { get; set; } = 5_011_271;

    /// <summary>
    /// Where users, grants and apps are kept between runs (the AppHost passes a file in its data directory); empty
    /// keeps them in memory only.
    /// </summary>
    public string StateFile { get; set; } = "";

    /// <summary>Page size of list endpoints (Twitch: 100).</summary>
    public int PageSize { get; set; } = 100;

    internal static void Bind(StandInOptions options, IConfiguration configuration)
    {
        configuration.GetSection("StandIn").Bind(options);
        options.ClientId = configuration["TWITCH_CLIENT_ID"] ?? options.ClientId;
        options.ClientSecret = configuration["TWITCH_CLIENT_SECRET"] ?? options.ClientSecret;
        options.RedirectUri = configuration["TWITCH_REDIRECT_URI"] ?? options.RedirectUri;
        options.BotUserId = configuration["BOT_USER_ID"] ?? options.BotUserId;
    }

    internal static ValidateOptionsResult Check(StandInOptions options)
    {
        var errors = new List<string>();
        if (options.ClientId.Length > 0 && options.ClientSecret.Length == 0)
        {
            errors.Add("TWITCH_CLIENT_SECRET: is required when TWITCH_CLIENT_ID is set");
        }

        if (options.ClientId.Length > 0 && !Uri.TryCreate(options.RedirectUri, UriKind.Absolute, out _))
        {
            errors.Add($"TWITCH_REDIRECT_URI: must be an absolute URL (was '{options.RedirectUri}')");
        }

        if (!State.UserDirectory.IsNumericId(options.BotUserId))
        {
            errors.Add($"BOT_USER_ID: must be a numeric user id (was '{options.BotUserId}')");
        }

        if (options.PageSize is < 1 or > 100)
        {
            errors.Add("StandIn:PageSize: must be 1–100");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class StandInOptionsValidator : IValidateOptions<StandInOptions>
{
    public ValidateOptionsResult Validate(string? name, StandInOptions options) => StandInOptions.Check(options);
}
