using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>The Postgres and Redis connection strings, from Aspire or from DATABASE_URL / REDIS_URL, and DEPENDENCY_GRACE_PERIOD.</summary>
public sealed class ConnectionOptions
{
    public const string Section = "Connections";

    public string Database { get; set; } = "";
    public string Redis { get; set; } = "";

    /// <summary>DEPENDENCY_GRACE_PERIOD: how long readiness reports a lost Postgres or Redis as degraded (still 200).</summary>
    public string DependencyGracePeriod { get; set; } = "30s";

    public TimeSpan DependencyGracePeriodValue => Durations.TryParse(DependencyGracePeriod, out var value) ? value : TimeSpan.FromSeconds(30);
}

internal sealed class ConnectionOptionsValidator(IOptions<AppOptions> app) : IValidateOptions<ConnectionOptions>
{
    private const string DatabaseSetting = "DATABASE_URL (or ConnectionStrings:chatpulsedb)";
    private const string RedisSetting = "REDIS_URL (or ConnectionStrings:redis)";

    public ValidateOptionsResult Validate(string? name, ConnectionOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Database))
        {
            errors.Add($"{DatabaseSetting}: is required");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.Database);
                if (app.Value.IsProduction && builder.SslMode is SslMode.Disable or SslMode.Allow or SslMode.Prefer)
                {
                    errors.Add($"{DatabaseSetting}: APP_ENV=production refuses a database connection that may run without TLS; use sslmode=require or verify-full (was {builder.SslMode})");
                }

                PasswordNotPlaceholder(errors, DatabaseSetting, builder.Password);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{DatabaseSetting}: is not a valid connection string ({e.Message})");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            errors.Add($"{RedisSetting}: is required");
        }
        else
        {
            try
            {
                PasswordNotPlaceholder(errors, RedisSetting, ConfigurationOptions.Parse(options.Redis).Password);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{RedisSetting}: is not a valid Redis configuration ({e.Message})");
            }
        }

        if (!Durations.TryParse(options.DependencyGracePeriod, out var grace) || grace < TimeSpan.Zero || grace > TimeSpan.FromMinutes(10))
        {
            errors.Add($"DEPENDENCY_GRACE_PERIOD: must be a duration between 0s and 10m, e.g. 30s (was '{options.DependencyGracePeriod}')");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void PasswordNotPlaceholder(List<string> errors, string setting, string? password)
    {
        if (SecretRules.LooksLikePlaceholder(password ?? ""))
        {
            errors.Add($"{setting}: the password {SecretRules.NotPlaceholder}; {SecretRules.Recipe}");
        }
    }
}
