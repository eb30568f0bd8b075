namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>Process-wide settings: APP_ENV, MAX_WEBSOCKET_CONNECTIONS, SHUTDOWN_TIMEOUT, LOG_FORMAT.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    public string Environment { get; set; } = "development";

    public int MaxWebSocketConnections { get; set; } = 10_000;

    public string ShutdownTimeout { get; set; } = "30s";

    public string LogFormat { get; set; } = "text";

    public bool IsProduction => string.Equals(Environment, "production", StringComparison.OrdinalIgnoreCase);

    public TimeSpan ShutdownTimeoutValue => Durations.TryParse(ShutdownTimeout, out var value) ? value : TimeSpan.FromSeconds(30);
}

internal sealed class AppOptionsValidator : IValidateOptions<AppOptions>
{
    private static readonly string[] Environments = ["development", "test", "staging", "production"];

    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        var errors = new List<string>();
        if (!Environments.Contains(options.Environment, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"APP_ENV: must be one of {string.Join(", ", Environments)} (was '{options.Environment}')");
        }

        if (options.MaxWebSocketConnections < 1)
        {
            errors.Add($"MAX_WEBSOCKET_CONNECTIONS: must be a positive whole number (was {options.MaxWebSocketConnections})");
        }

        if (!Durations.TryParse(options.ShutdownTimeout, out var timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"SHUTDOWN_TIMEOUT: must be a duration between 1s and 10m, e.g. 30s (was '{options.ShutdownTimeout}')");
        }

        if (options.LogFormat is not ("text" or "json"))
        {
            errors.Add($"LOG_FORMAT: must be text or json (was '{options.LogFormat}')");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
