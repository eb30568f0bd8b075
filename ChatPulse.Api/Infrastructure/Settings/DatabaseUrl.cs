using Npgsql;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>Converts the deployment guide's (docs/deployment-guide.md) <c>postgres://user:pass@host:port/db?sslmode=…</c> into an Npgsql connection string.</summary>
public static class DatabaseUrl
{
    private const string Setting = "DATABASE_URL";

    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    public static string ToNpgsql(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new InvalidSettingException(Setting, "must be a postgres://user:password@host:port/database URL");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (string.IsNullOrEmpty(uri.Host) || string.IsNullOrEmpty(database))
        {
            throw new InvalidSettingException(Setting, "must name a host and a database (postgres://user:password@host:port/database)");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
        };

        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var (key, value) in ParseQuery(uri.Query))
        {
            switch (key)
            {
                case "sslmode" when SslModes.TryGetValue(value, out var mode):
                    builder.SslMode = mode;
                    break;
                case "sslmode":
                    throw new InvalidSettingException(Setting, $"sslmode must be one of {string.Join(", ", SslModes.Keys)} (was '{value}')");
                case "connect_timeout" when int.TryParse(value, out var seconds) && seconds >= 0:
                    builder.Timeout = seconds;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw new InvalidSettingException(Setting, $"unsupported parameter '{key}' (supported: sslmode, connect_timeout, application_name)");
            }
        }

        return builder.ConnectionString;
    }

    internal static IEnumerable<(string Key, string Value)> ParseQuery(string query) =>
        query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]).ToLowerInvariant(), parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : ""));
}
