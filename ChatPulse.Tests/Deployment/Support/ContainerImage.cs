using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// The API's container settings as the .NET SDK computes them for <c>dotnet publish -t:PublishContainer</c>
/// (the ComputeContainerConfig target, which needs no image pull), and the image name Aspirate derives from them.
/// </summary>
public sealed record ContainerImage(
    string Registry,
    string Repository,
    IReadOnlyList<string> Tags,
    string BaseImage,
    string User,
    IReadOnlyList<string> Ports)
{
    private static readonly Lazy<Task<ContainerImage>> Api = new(() => ComputeAsync(RepositoryPaths.ApiProject));

    public static Task<ContainerImage> OfApiAsync() => Api.Value;

    /// <summary>Aspirate: <c>{ContainerRegistry}/{ContainerRepository}:{first ContainerImageTag}</c>, lower-cased.</summary>
    public string FullName => $"{Registry}/{Repository}:{Tags[0]}".ToLowerInvariant();

    private static async Task<ContainerImage> ComputeAsync(string project)
    {
        var json = await Tool.RunAsync("dotnet",
        [
            "msbuild", project, "-t:ComputeContainerConfig", "-nologo",
            "-getProperty:ContainerRegistry", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTags",
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser", "-getItem:ContainerPort",
        ]);
        using var document = JsonDocument.Parse(json);
        var properties = document.RootElement.GetProperty("Properties");
        string Property(string name) => properties.GetProperty(name).GetString() ?? "";
        var ports = document.RootElement.GetProperty("Items").GetProperty("ContainerPort").EnumerateArray()
            .Select(p => $"{p.GetProperty("Identity").GetString()}/{p.GetProperty("Type").GetString()}")
            .ToArray();
        return new ContainerImage(Property("ContainerRegistry"), Property("ContainerRepository"), Property("ContainerImageTags").Split(';', StringSplitOptions.RemoveEmptyEntries),
            Property("ContainerBaseImage"), Property("ContainerUser"), ports);
    }
}
