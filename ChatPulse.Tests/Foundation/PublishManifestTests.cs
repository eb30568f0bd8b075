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
    public async Task Published_api_gets_no_settings_and_no_connection_strings_only_aspires_own_variables()
    {
        using var manifest = await AppHostManifest.PublishAsync();
        var resources = manifest.RootElement.GetProperty("resources");

        // Kubernetes hands them over from chatpulse-config / chatpulse-secrets (k8s/); as parameters, Aspirate would
        // need their values and write them into a plain ConfigMap.
        var variables = resources.GetProperty("chatpulse").GetProperty("env").EnumerateObject().Select(v => v.Name).ToArray();
        Assert.Equal(["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "ASPNETCORE_FORWARDEDHEADERS_ENABLED", "HTTP_PORTS"], variables);
        foreach (var name in new[] { "app-env", "twitch-client-id", "twitch-client-secret", "webhook-secret", "session-secret", "token-encryption-key", "bot-user-id" })
        {
            Assert.False(resources.TryGetProperty(name, out _), name);
        }

        // What is left for Aspirate to fill in, it generates itself: nothing needs a value given on its command line.
        foreach (var parameter in resources.EnumerateObject().Where(r => Type(resources, r.Name) == "parameter.v0"))
        {
            Assert.True(parameter.Value.GetProperty("inputs").GetProperty("value").TryGetProperty("default", out _), parameter.Name);
        }
    }

    [Fact]
    public async Task Published_api_serves_plain_http_behind_service_port_80()
    {
        using var manifest = await AppHostManifest.PublishAsync();
        var bindings = manifest.RootElement.GetProperty("resources").GetProperty("chatpulse").GetProperty("bindings");

        Assert.Equal(["http"], bindings.EnumerateObject().Select(b => b.Name));
        Assert.Equal(80, bindings.GetProperty("http").GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task A_lone_twitch_client_id_changes_nothing_when_publishing()
    {
        // Run mode refuses half a Twitch app; published, both come from the chatpulse-secrets Secret, not from parameters.
        using var plain = await AppHostManifest.PublishAsync();
        using var withId = await AppHostManifest.PublishAsync("Parameters:twitch-client-id=real-app");

        Assert.Equal(plain.RootElement.GetRawText(), withId.RootElement.GetRawText());
    }

    private static string Type(JsonElement resources, string name) =>
        resources.TryGetProperty(name, out var resource) ? resource.GetProperty("type").GetString()! : $"<missing {name}>";
}

/// <summary>Runs the AppHost's manifest publisher, exactly the command Aspirate runs.</summary>
public static class AppHostManifest
{
    /// <param name="configuration">Extra configuration on the command line, e.g. <c>Parameters:twitch-client-id=…</c>.</param>
    public static async Task<JsonDocument> PublishAsync(params string[] configuration)
    {
        var output = Path.Combine(Path.GetTempPath(), $"chatpulse-manifest-{Guid.NewGuid():N}.json");
        var appHost = Path.Combine(RepositoryPaths.Root, "ChatPulse.AppHost", "bin", RepositoryPaths.Configuration, "net10.0", "ChatPulse.AppHost.dll");
        var startInfo = new ProcessStartInfo("dotnet", [appHost, "--publisher", "manifest", "--output-path", output, .. configuration])
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
