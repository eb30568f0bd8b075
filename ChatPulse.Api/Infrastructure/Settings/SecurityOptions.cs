using System.Text.RegularExpressions;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>SESSION_SECRET, TOKEN_ENCRYPTION_KEY, SESSION_MAX_AGE and SESSION_ABSOLUTE_MAX_AGE.</summary>
public sealed partial class SecurityOptions
{
    public const string Section = "Security";

    public string SessionSecret { get; set; } = "";

    /// <summary>64 hex characters: the AES-256 key that protects secrets at rest.</summary>
    public string TokenEncryptionKey { get; set; } = "";

    public string SessionMaxAge { get; set; } = "168h";

    public TimeSpan SessionMaxAgeValue => Durations.TryParse(SessionMaxAge, out var value) ? value : TimeSpan.FromDays(7);

    /// <summary>How long a session lasts after its login, however long its cookie keeps sliding (default 30 days).</summary>
    public string SessionAbsoluteMaxAge { get; set; } = "720h";

    public TimeSpan SessionAbsoluteMaxAgeValue =>
        Durations.TryParse(SessionAbsoluteMaxAge, out var value) ? value : TimeSpan.FromDays(30);

    public byte[] TokenEncryptionKeyBytes => Convert.FromHexString(TokenEncryptionKey);

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    internal static partial Regex HexKeyRule();
}

internal sealed class SecurityOptionsValidator(IOptions<AppOptions> app) : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        if (SecretRules.LooksLikePlaceholder(options.SessionSecret))
        {
            errors.Add($"SESSION_SECRET: {SecretRules.NotPlaceholder}; {SecretRules.Recipe}");
        }
        else if (options.SessionSecret.Length < 32)
        {
            errors.Add($"SESSION_SECRET: must be at least 32 characters (was {options.SessionSecret.Length})");
        }
        else if (app.Value.IsProduction && SessionSecretBytes(options.SessionSecret) is { } problem)
        {
            errors.Add($"SESSION_SECRET: must be at least 32 random bytes as hex or base64 when APP_ENV=production; {SecretRules.Recipe} (was {problem})");
        }

        if (!SecurityOptions.HexKeyRule().IsMatch(options.TokenEncryptionKey))
        {
            errors.Add($"TOKEN_ENCRYPTION_KEY: must be 64 hex characters, an AES-256 key (was {options.TokenEncryptionKey.Length} characters)");
        }
        else if (SecretRules.LooksLikePlaceholder(options.TokenEncryptionKey))
        {
            errors.Add($"TOKEN_ENCRYPTION_KEY: {SecretRules.NotPlaceholder}; {SecretRules.Recipe}");
        }
        else if (!SecretRules.LooksRandom(options.TokenEncryptionKeyBytes))
        {
            errors.Add($"TOKEN_ENCRYPTION_KEY: must be 64 hex characters of random bytes, not a pattern; {SecretRules.Recipe}");
        }

        if (!Durations.TryParse(options.SessionMaxAge, out var maxAge) || maxAge < TimeSpan.FromMinutes(5) || maxAge > TimeSpan.FromDays(90))
        {
            errors.Add($"SESSION_MAX_AGE: must be a duration between 5m and 90 days, e.g. 168h (was '{options.SessionMaxAge}')");
        }

        if (!Durations.TryParse(options.SessionAbsoluteMaxAge, out var absolute) || absolute < TimeSpan.FromSeconds(10)
            || absolute > TimeSpan.FromDays(365))
        {
            errors.Add($"SESSION_ABSOLUTE_MAX_AGE: must be a duration between 10s and 365 days, e.g. 720h (was '{options.SessionAbsoluteMaxAge}')");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Null when the secret decodes to at least 32 random-looking bytes; else what it was instead.</summary>
    private static string? SessionSecretBytes(string secret) => SecretRules.Decode(secret) switch
    {
        null => $"{secret.Length} characters, neither hex nor base64",
        { Length: < 32 } bytes => $"{bytes.Length} bytes",
        var bytes when !SecretRules.LooksRandom(bytes) => $"{bytes.Length} bytes with a repeating pattern",
        _ => null,
    };
}
