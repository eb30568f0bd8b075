using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// A Postgres outage seen by one replica of this class's own, whose Postgres is reached through a proxy it cuts:
/// votes for a channel it knew keep counting, requests that need Postgres answer 503 + Retry-After (a page for
/// browsers, problem details otherwise), a save is refused and nothing is half-saved, and all of it recovers.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class PostgresOutageTests(AppHostFixture fixture) : IAsyncLifetime
{
    private TcpProxy _proxy = null!;
    private ApiInstance _replica = null!;

    private string Secret => fixture.ApiEnvironment["WEBHOOK_SECRET"];

    public async Task InitializeAsync()
    {
        _proxy = TcpProxy.ForPostgres(fixture.DatabaseConnectionString);
        _replica = await ApiInstance.StartAsync(fixture, environment =>
            environment["ConnectionStrings__chatpulsedb"] = _proxy.RewritePostgres(fixture.DatabaseConnectionString) + ";Timeout=2");
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Through_an_outage_known_votes_count_requests_get_503_and_a_save_is_refused_until_postgres_returns()
    {
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, fixture.Redis, OverlayConfiguration.Default with { MemorySeconds = null });
        channel.StayWatched();
        var (signedIn, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "outage");
        using var _ = signedIn;
        var store = new StreamerStore(fixture.Database);
        var sent = 0;
        Assert.Equal(HttpStatusCode.NoContent, await VoteAsync(channel, ++sent));
        var form = await FormAsync(signedIn);
        var before = await store.GetConfigurationAsync(streamer.Id, default);

        _proxy.Cut();
        try
        {
            var answers = new List<HttpStatusCode>();
            await Waits.Until(async () =>
            {
                answers.Add(await VoteAsync(channel, ++sent));
                return await StaleLookupsAsync() > 0; // the cached copy expired and Postgres failed: last known settings
            }, Waits.Short, "a vote counted from the last known settings");
            answers.Add(await VoteAsync(channel, ++sent));

            using var page = await SendAsync(signedIn, HttpMethod.Get, "/dashboard", "text/html");
            using var api = await SendAsync(signedIn, HttpMethod.Get, "/api/dashboard/overlays", "application/json");
            using var save = await SendAsync(signedIn, HttpMethod.Post, form.Action.PathAndQuery, "text/html",
                new FormUrlEncodedContent(Visitor.FieldsOf(form.Element, new Dictionary<string, string?> { ["Form.ForTriggers"] = "during" })));

            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.NoContent, answer));
            Assert.Equal((sent, 0L), await channel.TotalsAsync());
            await AssertUnavailableAsync(page, "text/html", "Database unavailable");
            await AssertUnavailableAsync(api, "application/problem+json", "\"title\":\"Database unavailable\"");
            await AssertUnavailableAsync(save, "text/html", "Nothing was saved");
        }
        finally
        {
            _proxy.Restore();
        }

        Assert.Equal(before, await store.GetConfigurationAsync(streamer.Id, default)); // nothing half-saved
        await _replica.WaitUntilReadyAsync(Waits.Short);
        var retry = await FormAsync(signedIn);
        using (var saved = await signedIn.PostFormAsync(retry.Action, Visitor.FieldsOf(retry.Element, new Dictionary<string, string?> { ["Form.ForTriggers"] = "after" })))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        Assert.Equal("after", (await store.GetConfigurationAsync(streamer.Id, default))!.ForTriggers.Single());
        Assert.Equal(HttpStatusCode.NoContent, await VoteAsync(channel, ++sent));
        Assert.Equal((sent, 0L), await channel.TotalsAsync());
    }

    [Fact]
    public async Task A_save_in_the_browser_while_postgres_is_down_is_refused_in_the_form_with_the_edits_kept()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/").ToString());
        await page.ClickAsync("[data-testid=login]");
        await page.WaitForURLAsync(url => url.StartsWith(_replica.StandIn.ToString(), StringComparison.Ordinal));
        await page.FillAsync("input[name=new_login]", TwitchLogin.NewLogin("outage"));
        await page.ClickAsync("button[value=approve]");
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        await page.FillAsync("#Form_ForTriggers", "during");

        _proxy.Cut();
        try
        {
            await page.ClickAsync("[data-testid=save]");
            var refusal = page.Locator("[data-testid=save-refused]");
            await refusal.WaitForAsync(new LocatorWaitForOptions { Timeout = (float)Waits.Short.TotalMilliseconds });

            Assert.StartsWith("Nothing was saved: ChatPulse cannot reach its database", await refusal.TextContentAsync());
            Assert.Equal("during", await page.InputValueAsync("#Form_ForTriggers")); // the edit is still in the form
            Assert.EndsWith("/dashboard", page.Url);
        }
        finally
        {
            _proxy.Restore();
        }

        // Saving again once Postgres is back (a first try may still meet a connection the outage broke).
        await Waits.Until(async () =>
        {
            await page.ClickAsync("[data-testid=save]");
            try
            {
                await page.WaitForURLAsync(url => url.Contains("status=saved", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 3000 });
                return true;
            }
            catch (PlaywrightException)
            {
                return false;
            }
        }, Waits.Short, "the save to go through once Postgres is back");
        Assert.Equal("during", await page.InputValueAsync("#Form_ForTriggers"));
    }

    /// <summary>A signed "yes" from a new chatter (no debounce), through the replica.</summary>
    private async Task<HttpStatusCode> VoteAsync(VoteTestChannel channel, int chatter)
    {
        using var response = await _replica.Client.SendAsync(EventSubMessages.Request(Secret, Notification,
            EventSubMessages.ChatMessage(channel.BroadcasterId, $"9{chatter:D6}", "yes")));
        return response.StatusCode;
    }

    private async Task<long> StaleLookupsAsync()
    {
        var metrics = await _replica.Client.GetStringAsync("/metrics");
        return StaleCounter().Matches(metrics).Sum(m => long.Parse(m.Groups[1].Value));
    }

    private static async Task<(IHtmlFormElement Element, Uri Action)> FormAsync(Visitor visitor)
    {
        var page = await visitor.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=config-form]")!;
        return (form, Visitor.ActionOf(form, visitor.Resolve("/dashboard")));
    }

    /// <summary>A request as a browser (<c>text/html</c>) or a script (<c>application/json</c>) sends it.</summary>
    private static Task<HttpResponseMessage> SendAsync(Visitor visitor, HttpMethod method, string path, string accept, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, visitor.Resolve(path)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return visitor.Http.SendAsync(request);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string mediaType, string says)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"^chatpulse_cache_lookups_total\{[^}]*result=""stale""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex StaleCounter();
}
