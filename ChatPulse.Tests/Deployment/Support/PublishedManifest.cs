using System.Text.Json;
using ChatPulse.Tests.Foundation;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>The AppHost's publish manifest, published once for all deployment tests (each publish costs seconds).</summary>
public static class PublishedManifest
{
    private static readonly Lazy<Task<JsonElement>> Published = new(async () =>
    {
        using var manifest = await AppHostManifest.PublishAsync();
        return manifest.RootElement.GetProperty("resources").Clone();
    });

    public static Task<JsonElement> ResourcesAsync() => Published.Value;
}
