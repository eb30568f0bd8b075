using System.Diagnostics;
using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>Publish mode, as Aspirate runs it: containers and the project, never executables.</summary>
public sealed class PublishManifestTests
{
    [Fact]
    public async Task Manifest_has_postgres_and_redis_containers_the_chatpulse_project_and_no_executables()
    {
        using var manifest = await AppHostManifest.PublishAsync();
        var resources = manifest.RootElement.GetProperty("resources");

        Assert.StartsWith("container.", Type(resources, "postgres"));
        Assert.StartsWith("container.", Type(resources, "redis"));
        Assert.StartsWith("project.", Type(resources, "chatpulse"));
        Assert.Contains("Database=chatpulsedb", resources.GetProperty("chatpulsedb").GetProperty("connectionString").GetString());
        Assert.DoesNotContain(resources.EnumerateObject(), r => Type(resources, r.Name).StartsWith("executable.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_setting_is_a_parameter_and_secrets_are_marked_secret()
    {
        using var manifest = await AppHostManifest.PublishAsync();
        var resources = manifest.RootElement.GetProperty("resources");

        foreach (var name in new[] { "twitch-client-secret", "webhook-secret", "session-secret", "token-encryption-key" })
        {
            Assert.Equal("parameter.v0", Type(resources, name));
            Assert.True(resources.GetProperty(name).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), name);
        }

        foreach (var name in new[] { "twitch-client-id", "bot-user-id", "app-env", "twitch-redirect-uri", "webhook-callback-url" })
        {
            Assert.Equal("parameter.v0", Type(resources, name));
        }
    }

    private static string Type(JsonElement resources, string name) =>
        resources.TryGetProperty(name, out var resource) ? resource.GetProperty("type").GetString()! : $"<missing {name}>";
}

/// <summary>Runs the AppHost's manifest publisher, exactly the command Aspirate runs.</summary>
public static class AppHostManifest
{
    public static async Task<JsonDocument> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"chatpulse-manifest-{Guid.NewGuid():N}.json");
        var appHost = Path.Combine(RepositoryPaths.Root, "ChatPulse.AppHost", "bin", RepositoryPaths.Configuration, "net10.0", "ChatPulse.AppHost.dll");
        var startInfo = new ProcessStartInfo("dotnet", [appHost, "--publisher", "manifest", "--output-path", output])
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "ChatPulse.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Waits.AppStart);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"manifest publisher failed ({process.ExitCode}): {await stdout}{await stderr}");
        try
        {
            return JsonDocument.Parse(await File.ReadAllTextAsync(output));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
