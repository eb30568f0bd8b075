using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>Converts the deployment guide's (docs/deployment-guide.md) <c>redis://</c> / <c>rediss://</c> URL into a StackExchange.Redis configuration string.</summary>
public static class RedisUrl
{
    private const string Setting = "REDIS_URL";

    public static string ToStackExchange(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidSettingException(Setting, "must be a redis://[user:password@]host:port[/db] or rediss:// URL");
        }

        var options = new ConfigurationOptions
        {
            Ssl = uri.Scheme == "rediss",
            AbortOnConnectFail = false,
        };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);

        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo.Length == 2)
        {
            if (userInfo[0].Length > 0)
            {
                options.User = Uri.UnescapeDataString(userInfo[0]);
            }

            options.Password = Uri.UnescapeDataString(userInfo[1]);
        }
        else if (userInfo[0].Length > 0)
        {
            options.Password = Uri.UnescapeDataString(userInfo[0]); // redis://password@host, as redis-cli accepts
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, out var db) || db < 0)
            {
                throw new InvalidSettingException(Setting, $"the path must be a database number (was '/{path}')");
            }

            options.DefaultDatabase = db;
        }

        return options.ToString(includePassword: true);
    }
}
