namespace ChatPulse.Tests.Foundation;

/// <summary>How the AppHost models Postgres and Redis in run mode, chosen by ChatPulse:Infrastructure.</summary>
public sealed class InfrastructureModeTests
{
    [Fact]
    public async Task Processes_mode_runs_postgres_and_redis_server_as_executables()
    {
        var resources = await ResourcesAsync("ChatPulse:Infrastructure=processes");

        Assert.IsAssignableFrom<ExecutableResource>(resources["postgres"]);
        Assert.IsAssignableFrom<ExecutableResource>(resources["redis"]);
        Assert.Contains("postgres-initdb", resources.Keys); // fresh data directory: initdb first
        Assert.IsAssignableFrom<IResourceWithConnectionString>(resources["chatpulsedb"]);
    }

    [Fact]
    public async Task Containers_mode_uses_the_usual_containers()
    {
        var resources = await ResourcesAsync("ChatPulse:Infrastructure=containers");

        Assert.IsAssignableFrom<ContainerResource>(resources["postgres"]);
        Assert.IsAssignableFrom<ContainerResource>(resources["redis"]);
        Assert.DoesNotContain("postgres-initdb", resources.Keys);
    }

    [Fact]
    public async Task Connection_strings_given_from_outside_are_used_as_they_are()
    {
        var resources = await ResourcesAsync(
            "ChatPulse:Infrastructure=processes",
            "ConnectionStrings:chatpulsedb=Host=db.example;Database=chatpulsedb",
            "ConnectionStrings:redis=cache.example:6379");

        Assert.DoesNotContain("postgres", resources.Keys);
        Assert.Equal("cache.example:6379", await ((IResourceWithConnectionString)resources["redis"]).GetConnectionStringAsync());
        Assert.Equal("Host=db.example;Database=chatpulsedb", await ((IResourceWithConnectionString)resources["chatpulsedb"]).GetConnectionStringAsync());
    }

    [Fact]
    public async Task An_unknown_mode_is_refused_with_the_settings_name()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ResourcesAsync("ChatPulse:Infrastructure=vms"));

        Assert.Contains("ChatPulse:Infrastructure must be auto, containers or processes", error.ToString());
    }

    private static async Task<Dictionary<string, IResource>> ResourcesAsync(params string[] args)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-mode-{Guid.NewGuid():N}");
        try
        {
            using var cts = new CancellationTokenSource(Support.Waits.AppStart);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
                [$"ChatPulse:DataDirectory={dataDirectory}", .. args], cts.Token);
            return builder.Resources.ToDictionary(r => r.Name);
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
