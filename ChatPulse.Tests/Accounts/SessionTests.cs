using System.Security.Cryptography;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Accounts;
using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatPulse.Tests.Accounts;

/// <summary>Sessions: valid on every replica, bound to SESSION_SECRET, sliding, dropped with their streamer, ended by logout.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SessionTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task A_session_made_on_one_replica_works_on_another_and_not_under_another_session_secret()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin();
        await TwitchLogin.LogInAsync(visitor, login);
        await using var other = ApiInstance.Start(fixture.SharedApiEnvironment());
        await using var rotated = ApiInstance.Start(new Dictionary<string, string>(fixture.SharedApiEnvironment())
        {
            ["SESSION_SECRET"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        });
        await Task.WhenAll(other.WaitUntilReadyAsync(), rotated.WaitUntilReadyAsync());

        using var onOther = visitor.WithSessionTo(other.BaseAddress);
        var page = await onOther.PageAsync("/dashboard");
        using var onRotated = visitor.WithSessionTo(rotated.BaseAddress);
        using var refused = await onRotated.GetAsync("/dashboard");

        Assert.Contains(login, page.QuerySelector(".account")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_session_past_half_its_lifetime_is_renewed_for_a_whole_session_max_age_and_a_fresh_one_is_left_alone()
    {
        using var visitor = _replica.NewVisitor();
        await TwitchLogin.LogInAsync(visitor, TwitchLogin.NewLogin("sliding"));
        using var replicaServices = ApiServices.FixtureAccounts(fixture);
        var format = replicaServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(AccountsExtensions.SessionScheme).TicketDataFormat;
        var issued = format.Unprotect(visitor.Session!.Value)!;
        var lifetime = issued.Properties.ExpiresUtc!.Value - issued.Properties.IssuedUtc!.Value;

        using var fresh = await visitor.GetAsync("/dashboard");

        // The same session as if issued four fifths of a lifetime ago: more of it has passed than is left.
        var aged = new AuthenticationTicket(issued.Principal, issued.Properties.Clone(), issued.AuthenticationScheme);
        aged.Properties.IssuedUtc -= lifetime * 0.8;
        aged.Properties.ExpiresUtc -= lifetime * 0.8;
        var cookies = new CookieContainer();
        cookies.Add(_replica.BaseAddress, new Cookie(Visitor.SessionCookie, format.Protect(aged), "/"));
        using var returning = new Visitor(_replica.BaseAddress, cookies);
        using var renewal = await returning.GetAsync("/dashboard");
        var renewed = format.Unprotect(returning.Session!.Value)!;

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.DoesNotContain(SetCookies(fresh), c => c.StartsWith(Visitor.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
        Assert.Contains(SetCookies(renewal), c => c.StartsWith(Visitor.SessionCookie + "=", StringComparison.Ordinal));
        Assert.NotNull(issued.Principal.GetStreamerId());
        Assert.Equal(issued.Principal.GetStreamerId(), renewed.Principal.GetStreamerId());
        Assert.True(renewed.Properties.IssuedUtc >= issued.Properties.IssuedUtc, "the renewed session is issued anew");
        Assert.Equal(lifetime, renewed.Properties.ExpiresUtc - renewed.Properties.IssuedUtc); // a whole SESSION_MAX_AGE again
        Assert.Equal(renewed.Properties.ExpiresUtc!.Value.UtcDateTime, returning.Session.Expires.ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_session_whose_streamer_no_longer_exists_is_dropped_and_the_visitor_asked_to_log_in()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin();
        await TwitchLogin.LogInAsync(visitor, login);
        await using (var delete = _replica.Database.CreateCommand("DELETE FROM streamers WHERE login = $1"))
        {
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = login });
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        using var response = await visitor.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        Assert.Null(visitor.Session); // the cookie was cleared
    }

    [Fact]
    public async Task A_streamer_whose_chat_access_was_revoked_is_offered_a_reconnect_that_goes_through_twitch_and_clears_it()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin("revoked");
        var before = await TwitchLogin.LogInAsync(visitor, login);
        await using (var revoke = _replica.Database.CreateCommand(
            "UPDATE streamers SET needs_reconnect = true, revoked_reason = 'authorization_revoked' WHERE login = $1"))
        {
            revoke.Parameters.Add(new NpgsqlParameter<string> { TypedValue = login });
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync());
        }

        var revoked = await visitor.PageAsync("/dashboard");
        var link = revoked.QuerySelector("[data-testid=reconnect] a")!.GetAttribute("href")!;
        using var reconnect = await visitor.GetAsync(link);
        var callback = await TwitchLogin.ConsentAsync(visitor, reconnect.Headers.Location!, login);
        using var landed = await visitor.GetAsync(callback);
        var after = await visitor.PageAsync("/dashboard");

        Assert.Null(before.QuerySelector("[data-testid=reconnect]"));
        Assert.Equal("/auth/login?reconnect=true", link);
        Assert.StartsWith(_replica.StandIn.ToString(), reconnect.Headers.Location!.ToString()); // a real Twitch round trip
        Assert.Equal("/dashboard", landed.Headers.Location?.OriginalString);
        Assert.Null(after.QuerySelector("[data-testid=reconnect]")); // the login announced the streamer; ingestion cleared the flag
    }

    [Fact]
    public async Task Logout_is_a_post_that_needs_the_antiforgery_token()
    {
        using var visitor = _replica.NewVisitor();
        var dashboard = await TwitchLogin.LogInAsync(visitor, TwitchLogin.NewLogin());
        var form = (IHtmlFormElement)dashboard.QuerySelector("form[action='/auth/logout']")!;
        var logout = visitor.Resolve("/auth/logout");

        using var withoutToken = await visitor.PostFormAsync(logout, []);
        using var getInstead = await visitor.GetAsync("/auth/logout");
        var stillIn = visitor.Session is not null;
        using var withToken = await visitor.PostFormAsync(logout, Visitor.FieldsOf(form));
        using var afterwards = await visitor.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getInstead.StatusCode);
        Assert.True(stillIn);
        Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
        Assert.Equal("/", withToken.Headers.Location?.OriginalString);
        Assert.Null(visitor.Session);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "logout", "the logout audit entry");
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
