using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.Accounts;

/// <summary>Sessions: valid on every replica, bound to SESSION_SECRET, dropped with their streamer, ended by logout.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SessionTests(AppHostFixture fixture) : IAsyncLifetime
{
    private LoginReplica _replica = null!;

    public async Task InitializeAsync() => _replica = await LoginReplica.StartAsync(fixture);

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    [Fact]
    public async Task A_session_made_on_one_replica_works_on_another_and_not_under_another_session_secret()
    {
        using var visitor = _replica.NewVisitor();
        var login = TwitchLogin.NewLogin();
        await TwitchLogin.LogInAsync(visitor, login);
        await using var other = ApiInstance.Start(fixture.SharedApiEnvironment());
        await using var rotated = ApiInstance.Start(new Dictionary<string, string>(fixture.SharedApiEnvironment())
        {
            ["SESSION_SECRET"] = new string('r', 48),
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
}
