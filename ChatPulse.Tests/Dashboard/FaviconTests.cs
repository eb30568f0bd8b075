using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The favicon: served by the app, linked from the dashboard's layout and the overlay page.</summary>
[Collection(AppHostCollection.Name)]
public sealed class FaviconTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/assets/favicon.svg", "image/svg+xml")]
    public async Task The_favicon_is_served(string path, string mediaType)
    {
        using var response = await fixture.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Fact]
    public async Task The_dashboard_and_the_overlay_page_link_it_and_the_overlay_s_policy_lets_it_load()
    {
        var streamer = await new OverlayScenario(fixture).NewStreamerAsync();

        var landing = await fixture.Api.GetStringAsync("/");
        using var overlay = await fixture.Api.GetAsync($"/overlay/{streamer.OverlayId}");

        const string link = """<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">""";
        Assert.Contains(link, landing);
        Assert.Contains(link, await overlay.Content.ReadAsStringAsync());
        Assert.Contains("img-src 'self'", string.Join(";", overlay.Headers.GetValues("Content-Security-Policy")));
    }
}
