using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// The overlay page's scripts repeat a few of the C# rules (a URL override is checked in the browser, before any
/// frame arrives): each is held here to the C# constant, so a change on one side cannot go unnoticed.
/// </summary>
public sealed class OverlayPageRulesTests
{
    private static readonly string Look = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "ChatPulse.Api", "Overlay", "Page", "overlay-look.js"));
    private static readonly string Preview = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "ChatPulse.Api", "Dashboard", "Assets", "preview.js"));

    [Fact]
    public void The_url_overrides_take_the_limits_the_server_validates()
    {
        Assert.Contains($"v.length <= {OverlayConfiguration.MaxLabelLength} &&", Look);
        Assert.Contains($"v.length <= {TriggerRules.MaxTriggerLength} &&", Look);
        Assert.Contains($"radius: whole(0, {OverlayStyle.MaxCornerRadius}),", Look);
        Assert.Contains($"idle: whole(0, {OverlayStyle.MaxHideWhenIdleSeconds}),", Look);
    }

    [Fact]
    public void The_pages_defaults_are_the_servers_default_look()
    {
        var d = OverlayStyle.Default;
        Assert.Contains($"for: '{d.ForColor}', against: '{d.AgainstColor}', text: '{d.TextColor}', font: '{d.Font.ToString().ToLowerInvariant()}'", Look);
        Assert.Contains($"radius: {d.CornerRadius}, idle: 0,", Look);
        Assert.Contains($"[\"{OverlayStyle.DarkText}\", \"{OverlayStyle.LightText}\"]", Preview);
    }
}
