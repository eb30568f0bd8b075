using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

[Collection(AppHostCollection.Name)]
public sealed class OverlayPageTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task The_page_is_self_contained_html_that_any_page_may_embed()
    {
        var streamer = await _scenario.NewStreamerAsync();

        using var response = await fixture.Api.GetAsync($"/overlay/{streamer.OverlayId}");
        var html = await response.Content.ReadAsStringAsync();
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors *", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("<style>", html);
        Assert.Contains("/ws/overlay/", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("@font-face", html);
        Assert.DoesNotContain(" src=", html); // nothing loaded from elsewhere: no script, image or font files
    }

    [Fact]
    public async Task Malformed_id_is_400_unknown_and_rotated_ids_are_404_both_embeddable()
    {
        var streamer = await _scenario.NewStreamerAsync();
        await _scenario.Store.RotateOverlayIdAsync(streamer.Id, default);

        using var malformed = await fixture.Api.GetAsync("/overlay/not-a-guid");
        using var unknown = await fixture.Api.GetAsync($"/overlay/{Guid.NewGuid()}");
        using var rotated = await fixture.Api.GetAsync($"/overlay/{streamer.OverlayId}");

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rotated.StatusCode);
        Assert.Contains("no longer valid", await rotated.Content.ReadAsStringAsync());
        Assert.Contains("frame-ancestors *", string.Join(";", unknown.Headers.GetValues("Content-Security-Policy")));
    }
}
