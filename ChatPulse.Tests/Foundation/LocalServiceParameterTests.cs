namespace ChatPulse.Tests.Foundation;

/// <summary>Every parameter says in the dashboard what it is; the local Postgres and Redis passwords also where they live.</summary>
public sealed class LocalServiceParameterTests
{
    [Fact]
    public async Task The_local_postgres_and_redis_passwords_have_descriptions()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-params-{Guid.NewGuid():N}");
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
                ["ChatPulse:Infrastructure=processes", $"ChatPulse:DataDirectory={dataDirectory}"]);
            var descriptions = builder.Resources.OfType<ParameterResource>().ToDictionary(p => p.Name, p => p.Description);

            Assert.Equal($"Password of the local Postgres superuser, generated on first run and kept in {Path.Combine(dataDirectory, "postgres", "postgres-password")}.",
                descriptions["postgres-password"]);
            Assert.Equal("Password of the local redis-server, new on every run (Redis keeps nothing between runs).", descriptions["redis-password"]);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Every_parameter_has_a_description_in_the_dashboard()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-params-{Guid.NewGuid():N}");
        try
        {
            // The optional URL parameters exist only when configured.
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
                ["ChatPulse:Infrastructure=processes", $"ChatPulse:DataDirectory={dataDirectory}",
                 "Parameters:twitch-redirect-uri=https://chatpulse.example/auth/callback",
                 "Parameters:webhook-callback-url=https://chatpulse.example/webhooks/eventsub"]);
            var parameters = builder.Resources.OfType<ParameterResource>().ToList();

            Assert.Contains(parameters, p => p.Name == "twitch-redirect-uri");
            Assert.Contains(parameters, p => p.Name == "webhook-callback-url");
            Assert.All(parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{p.Name} has no description"));
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
