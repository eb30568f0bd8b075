using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.Extensions.Configuration;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Foundation;

/// <summary>The guide's DATABASE_URL / REDIS_URL forms, converted to what Npgsql and StackExchange.Redis expect.</summary>
public sealed class GuideVariableTests
{
    [Fact]
    public void Database_url_becomes_an_npgsql_connection_string()
    {
        var converted = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToNpgsql(
            "postgres://chat%40user:p%40ss@db.example.com:6543/chatpulse?sslmode=require&connect_timeout=7"));

        Assert.Equal("db.example.com", converted.Host);
        Assert.Equal(6543, converted.Port);
        Assert.Equal("chat@user", converted.Username);
        Assert.Equal("p@ss", converted.Password);
        Assert.Equal("chatpulse", converted.Database);
        Assert.Equal(SslMode.Require, converted.SslMode);
        Assert.Equal(7, converted.Timeout);
    }

    [Fact]
    public void Database_url_without_port_uses_5432()
    {
        var converted = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToNpgsql("postgresql://u:p@db/chatpulse"));

        Assert.Equal(5432, converted.Port);
    }

    [Theory]
    [InlineData("mysql://u:p@db/chatpulse", "postgres://")]
    [InlineData("postgres://u:p@db", "database")]
    [InlineData("postgres://u:p@db/x?sslmode=sometimes", "sslmode")]
    [InlineData("postgres://u:p@db/x?pool=9", "unsupported parameter 'pool'")]
    [InlineData("not a url", "postgres://")]
    public void Bad_database_url_is_refused_naming_the_setting(string url, string rule)
    {
        var error = Assert.Throws<InvalidSettingException>(() => DatabaseUrl.ToNpgsql(url));

        Assert.Equal("DATABASE_URL", error.Setting);
        Assert.Contains(rule, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Redis_url_becomes_a_stackexchange_configuration()
    {
        var options = ConfigurationOptions.Parse(RedisUrl.ToStackExchange("rediss://default:s3cret@cache.example.com:6380/2"));

        Assert.True(options.Ssl);
        Assert.Equal("default", options.User);
        Assert.Equal("s3cret", options.Password);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(("cache.example.com", 6380), Endpoint(options));
    }

    [Fact]
    public void Plain_redis_url_has_no_tls_and_default_port()
    {
        var options = ConfigurationOptions.Parse(RedisUrl.ToStackExchange("redis://redis.chatpulse.svc.cluster.local"));

        Assert.False(options.Ssl);
        Assert.Null(options.Password);
        Assert.Equal(("redis.chatpulse.svc.cluster.local", 6379), Endpoint(options));
    }

    [Theory]
    [InlineData("http://cache:6379")]
    [InlineData("redis://cache:6379/x")]
    [InlineData("redis://")]
    public void Bad_redis_url_is_refused_naming_the_setting(string url)
    {
        var error = Assert.Throws<InvalidSettingException>(() => RedisUrl.ToStackExchange(url));

        Assert.Equal("REDIS_URL", error.Setting);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("168h", 604800)]
    [InlineData("1h30m", 5400)]
    [InlineData("45", 45)]
    [InlineData("00:01:00", 60)]
    public void Durations_accept_the_guides_forms(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData(null, null, "http://+:8080")] // the Deployment's containerPort and probes
    [InlineData("9000", null, "http://+:9000")]
    [InlineData("9000", "http://127.0.0.1:5080", null)] // an address chosen otherwise wins; PORT adds nothing
    public void The_api_listens_on_port_8080_unless_told_otherwise(string? port, string? aspNetCoreUrls, string? expected)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = port, ["ASPNETCORE_URLS"] = aspNetCoreUrls });

        configuration.AddGuideVariables();

        Assert.Equal(expected, configuration["urls"]);
    }

    private static (string Host, int Port) Endpoint(ConfigurationOptions options)
    {
        var endpoint = Assert.IsType<DnsEndPoint>(options.EndPoints.Single());
        return (endpoint.Host, endpoint.Port);
    }
}
