using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Accounts;

/// <summary>"Log in with Twitch" against the stand-in over real HTTP: cookies, redirects, the stored streamer.</summary>
[Collection(AppHostCollection.Name)]
public sealed class OAuthLoginTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task Round_trip_creates_the_streamer_and_a_session_cookie_and_lands_on_their_dashboard()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin();

        var authorize = await TwitchLogin.StartAsync(visitor);
        Assert.Equal(new Uri(_replica.StandIn, "/oauth2/authorize").AbsoluteUri, authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal(_replica.ClientId, TwitchLogin.Query(authorize, "client_id"));
        Assert.Equal(new Uri(_replica.BaseAddress, "/auth/callback").AbsoluteUri, TwitchLogin.Query(authorize, "redirect_uri"));
        Assert.Equal("channel:bot", TwitchLogin.Query(authorize, "scope"));
        Assert.Equal("code", TwitchLogin.Query(authorize, "response_type"));
        Assert.False(string.IsNullOrEmpty(TwitchLogin.Query(authorize, "state")));

        var callback = await TwitchLogin.ConsentAsync(visitor, authorize, login);
        using var landed = await visitor.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal("/dashboard", landed.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(landed.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Visitor.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        var expires = visitor.Session!.Expires.ToUniversalTime();
        Assert.InRange(expires, DateTime.UtcNow.AddDays(7).AddMinutes(-5), DateTime.UtcNow.AddDays(7).AddMinutes(5)); // SESSION_MAX_AGE 168h

        var dashboard = await visitor.PageAsync("/dashboard");
        var streamer = await StreamerRows.ByTwitchUserIdAsync(_replica.Database, await TwitchUserIdAsync(login));
        Assert.NotNull(streamer);
        Assert.Equal(login, streamer.Login);
        Assert.Equal(4, streamer.OverlayId.Version);
        Assert.Equal(OverlayConfiguration.Default, await new StreamerStore(_replica.Database).GetConfigurationAsync(streamer.Id, default));
        Assert.EndsWith($"/overlay/{streamer.OverlayId}", dashboard.QuerySelector("[data-testid=overlay-url]")!.GetAttribute("value"));
        Assert.Contains(streamer.DisplayName, dashboard.QuerySelector(".account")!.TextContent);
        await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "login"
            && e.Value("StreamerId") == streamer.Id.ToString() && e.Value("FirstLogin") == "True", "the login audit entry");
    }

    [Fact]
    public async Task The_apphost_api_logs_in_through_the_apphost_stand_in_with_no_setup()
    {
        // What a newcomer does after `dotnet run --project ChatPulse.AppHost`: the AppHost wires API and stand-in together.
        using var visitor = new Visitor(fixture.ApiBaseAddress);
        var login = TwitchLogin.NewLogin("newcomer");

        var dashboard = await TwitchLogin.LogInAsync(visitor, login);

        Assert.Contains(login, dashboard.QuerySelector(".account")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/overlay/", dashboard.QuerySelector("[data-testid=overlay-url]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_signed_in_streamer_opening_login_goes_straight_to_the_dashboard_and_a_later_login_keeps_the_streamer()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin();
        await TwitchLogin.LogInAsync(visitor, login);
        var first = await StreamerRows.ByTwitchUserIdAsync(_replica.Database, await TwitchUserIdAsync(login));

        using var again = await visitor.GetAsync("/auth/login");
        using var loginPage = await visitor.GetAsync("/login");
        using var elsewhere = _replica.NewVisitor();
        await TwitchLogin.LogInAsync(elsewhere, login); // same Twitch user, another browser
        var second = await StreamerRows.ByTwitchUserIdAsync(_replica.Database, await TwitchUserIdAsync(login));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/dashboard", again.Headers.Location?.OriginalString); // no Twitch round trip
        Assert.Equal("/dashboard", loginPage.Headers.Location?.OriginalString);
        Assert.Equal(first!.Id, second!.Id);
        Assert.Equal(first.OverlayId, second.OverlayId);
        await _replica.WaitForLogAsync(e => e.Value("Action") == "login" && e.Value("StreamerId") == first.Id.ToString()
            && e.Value("FirstLogin") == "False", "the second login's audit entry");
    }

    [Fact]
    public async Task Twitch_denying_access_shows_the_friendly_page_and_no_session()
    {
        using var visitor = _replica.NewVisitor();

        var callback = await TwitchLogin.ConsentAsync(visitor, await TwitchLogin.StartAsync(visitor), TwitchLogin.NewLogin(), approve: false);
        using var response = await visitor.GetAsync(callback);
        var page = await visitor.PageAsync(response.Headers.Location!.OriginalString);

        Assert.Equal("access_denied", TwitchLogin.Query(callback, "error"));
        Assert.Equal("/auth/error?code=denied", response.Headers.Location.OriginalString);
        Assert.Equal("denied", page.QuerySelector("[data-testid=auth-error]")!.GetAttribute("data-code"));
        Assert.Null(visitor.Session);
    }

    [Fact]
    public async Task A_tampered_state_is_rejected_with_the_friendly_page_and_no_session()
    {
        using var visitor = _replica.NewVisitor();
        var callback = await TwitchLogin.ConsentAsync(visitor, await TwitchLogin.StartAsync(visitor), TwitchLogin.NewLogin());
        var state = TwitchLogin.Query(callback, "state")!;
        var tampered = state[..^2] + (state[^2] == 'A' ? 'B' : 'A') + state[^1];

        using var response = await visitor.GetAsync(new Uri(callback.ToString().Replace(Uri.EscapeDataString(state), Uri.EscapeDataString(tampered), StringComparison.Ordinal)));
        using var dashboard = await visitor.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/auth/error?code=state", response.Headers.Location?.OriginalString);
        Assert.Null(visitor.Session);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/login", dashboard.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Twitch_failing_during_login_shows_the_friendly_page_not_a_500()
    {
        using var visitor = _replica.NewVisitor();
        var callback = await TwitchLogin.ConsentAsync(visitor, await TwitchLogin.StartAsync(visitor), TwitchLogin.NewLogin());
        using var fault = await fixture.TwitchStandIn.PostAsync("/standin/faults", System.Net.Http.Json.JsonContent.Create(
            new { client_id = _replica.ClientId, status = 503, count = 1 }));
        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode); // Helix GET /users answers 503 once

        using var response = await visitor.GetAsync(callback);
        var page = await visitor.PageAsync(response.Headers.Location!.OriginalString);

        Assert.Equal("/auth/error?code=twitch", response.Headers.Location.OriginalString);
        Assert.Equal("twitch", page.QuerySelector("[data-testid=auth-error]")!.GetAttribute("data-code"));
        Assert.Null(visitor.Session);
        await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "login_failed"
            && e.Value("Cause") == "twitch", "the login_failed audit entry naming Twitch");
    }

    private async Task<string> TwitchUserIdAsync(string login)
    {
        using var app = await StandInApp.RegisterAsync(_replica.StandIn);
        using var response = await app.HelixAsync(HttpMethod.Get, $"/users?login={login}");
        using var body = await StandInApp.ReadJsonAsync(response);
        return body.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
    }
}
