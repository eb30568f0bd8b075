namespace ChatPulse.Api.Infrastructure.Settings;

internal static class LogLevels
{
    /// <summary>Accepts the Go-style names of docs/deployment-guide.md (debug, info, warn, error) and .NET's own.</summary>
    public static LogLevel Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" or "fatal" => LogLevel.Critical,
        _ => throw new InvalidSettingException("LOG_LEVEL", $"must be debug, info, warn or error (was '{value}')"),
    };
}
