using ChatPulse.AppHost;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>The Aspire dashboard's links for <c>twitch</c> and <c>chatpulse</c>: named, and each opens its page.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardLinkTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Twitch_links_to_its_chat_page()
    {
        var links = LinksOf("twitch");

        Assert.Equal("/chat", new Uri(links[DashboardLinks.ChatPage]).AbsolutePath);
        using var page = await fixture.TwitchStandIn.GetAsync(links[DashboardLinks.ChatPage]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Chatpulse_links_to_the_streamer_dashboard_metrics_and_readiness()
    {
        var links = LinksOf("chatpulse");

        Assert.Equal(
            [("/dashboard", DashboardLinks.StreamerDashboard), ("/health/ready", DashboardLinks.Readiness), ("/metrics", DashboardLinks.Metrics)],
            links.Where(l => l.Key is DashboardLinks.StreamerDashboard or DashboardLinks.Readiness or DashboardLinks.Metrics).Select(l => (new Uri(l.Value).AbsolutePath, l.Key)).OrderBy(l => l.AbsolutePath));
        foreach (var name in new[] { DashboardLinks.Metrics, DashboardLinks.Readiness })
        {
            using var response = await fixture.Api.GetAsync(links[name]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>The resource's current URLs by display name, as the dashboard lists them (details-only ones included).</summary>
    private Dictionary<string, string> LinksOf(string resource)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var current));
        return current.Snapshot.Urls.Where(u => u.DisplayProperties.DisplayName.Length > 0)
            .GroupBy(u => u.DisplayProperties.DisplayName)
            .ToDictionary(g => g.Key, g => g.First().Url);
    }
}
