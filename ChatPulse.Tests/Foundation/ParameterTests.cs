namespace ChatPulse.Tests.Foundation;

/// <summary>Run-mode parameters: working local defaults, configuration wins, and a real Twitch app comes as a pair.</summary>
public sealed class ParameterTests
{
    [Fact]
    public async Task Every_setting_has_a_working_local_default()
    {
        var values = await ParameterValuesAsync();

        Assert.Matches("^[0-9a-f]{64}$", values["token-encryption-key"]);
        Assert.InRange(values["webhook-secret"].Length, 10, 100);
        Assert.True(values["session-secret"].Length >= 32);
        Assert.Matches("^[0-9]+$", values["bot-user-id"]);
        Assert.Equal("development", values["app-env"]);
        Assert.False(string.IsNullOrEmpty(values["twitch-client-id"]));
        Assert.False(string.IsNullOrEmpty(values["twitch-client-secret"]));
    }

    [Fact]
    public async Task A_value_from_configuration_wins_over_the_default()
    {
        var values = await ParameterValuesAsync("Parameters:webhook-secret=configured-secret-123", "Parameters:bot-user-id=42");

        Assert.Equal("configured-secret-123", values["webhook-secret"]);
        Assert.Equal("42", values["bot-user-id"]);
    }

    [Fact]
    public async Task A_real_twitch_app_is_used_as_configured()
    {
        var values = await ParameterValuesAsync("Parameters:twitch-client-id=real-app", "Parameters:twitch-client-secret=real-secret");

        Assert.Equal("real-app", values["twitch-client-id"]);
        Assert.Equal("real-secret", values["twitch-client-secret"]);
    }

    [Theory]
    [InlineData("Parameters:twitch-client-id=real-app", "Parameters:twitch-client-secret")]
    [InlineData("Parameters:twitch-client-secret=real-secret", "Parameters:twitch-client-id")]
    public async Task Half_a_real_twitch_app_stops_the_apphost_naming_the_missing_setting(string configured, string missing)
    {
        // Before, a random local secret filled the gap and the login failed later, at Twitch's token endpoint.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ParameterValuesAsync(configured));

        Assert.Contains($"but {missing} is not: a real Twitch app needs both", error.ToString());
    }

    [Fact]
    public async Task Secrets_are_secret_parameters_and_the_other_settings_are_not()
    {
        var parameters = await ParametersAsync();

        Assert.Equal(["postgres-password", "redis-password", "session-secret", "token-encryption-key", "twitch-client-secret", "webhook-secret"],
            parameters.Where(p => p.Value.Secret).Select(p => p.Key).Order());
        Assert.All(["twitch-client-id", "bot-user-id", "app-env"], name => Assert.False(parameters[name].Secret, name));
    }

    [Fact]
    public async Task Generated_secrets_are_the_same_in_the_next_run_so_a_restart_keeps_the_developer_logged_in()
    {
        var first = await ParameterValuesAsync();
        var second = await ParameterValuesAsync();

        Assert.All(["session-secret", "token-encryption-key", "webhook-secret"], name => Assert.Equal(first[name], second[name]));
    }

    private static async Task<Dictionary<string, string>> ParameterValuesAsync(params string[] args) =>
        (await ParametersAsync(args)).ToDictionary(p => p.Key, p => p.Value.Value);

    private static async Task<Dictionary<string, (string Value, bool Secret)>> ParametersAsync(params string[] args)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-params-{Guid.NewGuid():N}");
        try
        {
            using var cts = new CancellationTokenSource(Support.Waits.AppStart);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
                [$"ChatPulse:DataDirectory={dataDirectory}", "ChatPulse:Infrastructure=processes", .. args], cts.Token);
            var parameters = new Dictionary<string, (string Value, bool Secret)>();
            foreach (var parameter in builder.Resources.OfType<ParameterResource>())
            {
                parameters[parameter.Name] = (await parameter.GetValueAsync(cts.Token) ?? "", parameter.Secret);
            }

            return parameters;
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
