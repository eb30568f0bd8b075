using ChatPulse.Tests.Deployment.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// The image `dotnet publish -t:PublishContainer` builds, as the SDK computes it (the base image cannot be pulled
/// here, so the properties are checked, not the image).
/// </summary>
public sealed class ContainerImageTests
{
    [Fact]
    public async Task Api_publishes_ghcr_io_pscheid92_chatpulse_tagged_latest_and_its_version()
    {
        var image = await ContainerImage.OfApiAsync();

        Assert.Equal("ghcr.io", image.Registry);
        Assert.Equal("pscheid92/chatpulse", image.Repository);
        Assert.Equal("latest", image.Tags[0]); // the first tag is the one Aspirate writes into the Deployment
        Assert.Matches(@"^\d+\.\d+\.\d+$", Assert.Single(image.Tags.Skip(1)));
    }

    [Fact]
    public async Task Api_image_runs_as_a_non_root_user_and_exposes_8080()
    {
        var image = await ContainerImage.OfApiAsync();

        Assert.True(int.TryParse(image.User, out var uid) && uid > 0, $"ContainerUser '{image.User}' must be a non-root UID (runAsNonRoot can verify only numbers)");
        Assert.Equal(["8080/tcp"], image.Ports);
    }

    [Fact]
    public async Task Api_base_image_has_a_shell_for_the_prestop_hook()
    {
        var image = await ContainerImage.OfApiAsync();

        // The Deployment's preStop runs /bin/sh; chiseled and distroless images have none.
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", image.BaseImage);
        Assert.DoesNotContain("chiseled", image.BaseImage);
        Assert.DoesNotContain("distroless", image.BaseImage);
    }
}
