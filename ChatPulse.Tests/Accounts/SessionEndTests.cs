using AngleSharp.Html.Dom;
using ChatPulse.Api.Accounts;
using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatPulse.Tests.Accounts;

/// <summary>Stored sessions: logout ends the session for every copy of its cookie, "log out everywhere" ends them all, and a session has an absolute end.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SessionEndTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task A_cookie_copied_before_logout_is_refused_after_it_and_cannot_save_a_configuration()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin("copied");
        var dashboard = await TwitchLogin.LogInAsync(visitor, login);
        using var copy = visitor.WithSessionTo(_replica.BaseAddress);
        var copiedPage = await copy.PageAsync("/dashboard");
        var save = (IHtmlFormElement)copiedPage.QuerySelector("[data-testid=config-form]")!;
        var versionBefore = await VersionAsync(login);

        var logout = (IHtmlFormElement)dashboard.QuerySelector("form[action='/auth/logout']")!;
        using var loggedOut = await visitor.PostFormAsync(visitor.Resolve("/auth/logout"), Visitor.FieldsOf(logout));
        using var copyAfter = await copy.GetAsync("/dashboard");
        using var saved = await copy.PostFormAsync(Visitor.ActionOf(save, copy.Resolve("/dashboard")),
            Visitor.FieldsOf(save, new Dictionary<string, string?> { ["Form.ForLabel"] = "Copied" }));

        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, copyAfter.StatusCode);
        Assert.StartsWith("/login", copyAfter.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.StartsWith("/login", saved.Headers.Location!.PathAndQuery);
        Assert.Equal(versionBefore, await VersionAsync(login)); // nothing was saved
    }

    [Fact]
    public async Task A_login_over_a_live_session_ends_the_old_one_so_a_copy_of_its_cookie_dies_with_the_logout()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin("relogin");
        await TwitchLogin.LogInAsync(visitor, login);
        using var copy = visitor.WithSessionTo(_replica.BaseAddress); // the first session's cookie

        // Reconnect while signed in: a second Twitch round trip, a new session on the same browser.
        using var reconnect = await visitor.GetAsync("/auth/login?reconnect=true");
        var callback = await TwitchLogin.ConsentAsync(visitor, reconnect.Headers.Location!, login);
        using (var landed = await visitor.GetAsync(callback))
        {
            Assert.Equal("/dashboard", landed.Headers.Location?.OriginalString);
        }

        using var copyAfter = await copy.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, copyAfter.StatusCode);
        Assert.StartsWith("/login", copyAfter.Headers.Location!.PathAndQuery);
        using var stillIn = await visitor.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode); // the browser's new session works
    }

    [Fact]
    public async Task Log_out_everywhere_ends_the_session_of_a_second_browser_and_leaves_other_streamers_alone()
    {
        var login = TwitchLogin.NewLogin("everywhere");
        using var first = _replica.NewVisitor();
        var dashboard = await TwitchLogin.LogInAsync(first, login);
        using var second = _replica.NewVisitor();
        await TwitchLogin.LogInAsync(second, login); // the same streamer in another browser
        using var someoneElse = _replica.NewVisitor();
        await TwitchLogin.LogInAsync(someoneElse, TwitchLogin.NewLogin("bystander"));
        var form = (IHtmlFormElement)dashboard.QuerySelector("form[action='/auth/logout-everywhere']")!;

        using var withoutToken = await first.PostFormAsync(first.Resolve("/auth/logout-everywhere"), []);
        using var everywhere = await first.PostFormAsync(first.Resolve("/auth/logout-everywhere"), Visitor.FieldsOf(form));
        using var secondAfter = await second.GetAsync("/dashboard");
        using var bystanderAfter = await someoneElse.GetAsync("/dashboard");

        Assert.NotNull(dashboard.QuerySelector("[data-testid=logout-everywhere]"));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);
        Assert.Null(first.Session);
        Assert.Equal(HttpStatusCode.Redirect, secondAfter.StatusCode);
        Assert.StartsWith("/login", secondAfter.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, bystanderAfter.StatusCode);
        await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "logout_everywhere"
            && e.Value("SessionsEnded") == "2", "the logout_everywhere audit entry naming both sessions");
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_a_session_that_kept_sliding_long_before_its_cookie_expires()
    {
        await using var replica = await ApiInstance.StartAsync(fixture, environment => environment["SESSION_ABSOLUTE_MAX_AGE"] = "30s");
        using var visitor = replica.NewVisitor();
        await TwitchLogin.LogInAsync(visitor, TwitchLogin.NewLogin("absolute"));

        // The same session as if it had been in use for most of a SESSION_MAX_AGE: the replica slides it on.
        using var services = ApiServices.FixtureAccounts(fixture);
        var format = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AccountsExtensions.SessionScheme).TicketDataFormat;
        var ticket = format.Unprotect(visitor.Session!.Value)!;
        var lifetime = ticket.Properties.ExpiresUtc!.Value - ticket.Properties.IssuedUtc!.Value;
        ticket.Properties.IssuedUtc -= lifetime * 0.8;
        ticket.Properties.ExpiresUtc -= lifetime * 0.8;
        var cookies = new CookieContainer();
        cookies.Add(replica.BaseAddress, new Cookie(Visitor.SessionCookie, format.Protect(ticket), "/"));
        using var sliding = new Visitor(replica.BaseAddress, cookies);
        using var renewal = await sliding.GetAsync("/dashboard");
        var slidTo = sliding.Session!.Expires.ToUniversalTime();

        // It keeps being used until the absolute end, 30 s after the login (well after the renewal, even on a busy machine).
        HttpResponseMessage? ended = null;
        await Waits.Until(async () =>
        {
            var response = await sliding.GetAsync("/dashboard");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
                await Task.Delay(3000); // a page every few seconds stays well inside the dashboard's rate limit
                return false;
            }

            ended = response;
            return true;
        }, TimeSpan.FromSeconds(90), "the session to reach its absolute end");
        using var refused = ended!;

        Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
        Assert.True(renewal.Headers.TryGetValues("Set-Cookie", out var renewed) && renewed.Any(c => c.StartsWith(Visitor.SessionCookie + "=", StringComparison.Ordinal)),
            "the aged session was renewed");
        Assert.True(slidTo > DateTime.UtcNow.AddDays(6), "the renewed cookie was good for days more");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery);
        Assert.Null(sliding.Session);
        using var original = await visitor.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, original.StatusCode); // the login's own cookie ended with it
    }

    private async Task<long> VersionAsync(string login)
    {
        await using var command = _replica.Database.CreateCommand(
            "SELECT c.version FROM overlay_configurations c JOIN streamers s ON s.id = c.streamer_id WHERE s.login = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = login });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
