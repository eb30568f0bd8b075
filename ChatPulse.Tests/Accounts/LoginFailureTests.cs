using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Accounts;

/// <summary>
/// Logins that do not complete: a friendly page naming the real cause (state, database), no session, an audit entry
/// with that cause.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LoginFailureTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Theory]
    [InlineData("/auth/callback?code=abc&scope=channel%3Abot&state=forged-state-value")]
    [InlineData("/auth/callback?code=abc")]
    [InlineData("/auth/callback?error=access_denied&error_description=nope&state=forged")]
    public async Task A_callback_with_a_forged_or_missing_state_lands_on_the_friendly_page_without_a_session(string callback)
    {
        var cookies = new CookieContainer();
        using var client = LoopbackClient.Create(_replica.BaseAddress, cookies: cookies);
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("X-Correlation-ID", $"forged-{Guid.NewGuid():N}");

        using var response = await client.SendAsync(request);
        using var page = await client.GetAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/auth/error?code=state", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-code=\"state\"", await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "chatpulse_session");

        var correlationId = request.Headers.GetValues("X-Correlation-ID").Single();
        await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "login_failed"
            && e.Value("Cause") == "state" && e.ScopeValue("CorrelationId") == correlationId,
            "the login_failed audit entry with its cause, in the request's correlation scope");
    }

    [Fact]
    public async Task The_database_failing_after_twitch_answered_is_audited_and_shown_as_a_database_failure_not_twitch()
    {
        await using var database = new OwnDatabase(fixture);
        await using var replica = await ApiInstance.StartAsync(fixture, database.Use);
        using var visitor = replica.NewVisitor();
        var callback = await TwitchLogin.ConsentAsync(visitor, await TwitchLogin.StartAsync(visitor), TwitchLogin.NewLogin("nodb"));

        await database.CutOffAsync(); // Twitch still answers; storing the streamer cannot
        using var response = await visitor.GetAsync(callback);
        var page = await visitor.PageAsync(response.Headers.Location!.OriginalString);

        Assert.Equal("/auth/error?code=database", response.Headers.Location.OriginalString);
        Assert.Equal("database", page.QuerySelector("[data-testid=auth-error]")!.GetAttribute("data-code"));
        Assert.Contains("database", page.QuerySelector("[data-testid=auth-error] p")!.TextContent);
        Assert.Null(visitor.Session);
        await replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "login_failed"
            && e.Value("Cause") == "database", "the login_failed audit entry naming the database");
    }
}
