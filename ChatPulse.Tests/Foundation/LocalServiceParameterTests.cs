namespace ChatPulse.Tests.Foundation;

/// <summary>The local Postgres and Redis processes' passwords say in the dashboard what they are and where they live.</summary>
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
}
