using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Accounts;

/// <summary>Callbacks that do not come from a login this app started: a friendly page, no session, an audit entry.</summary>
[Collection(AppHostCollection.Name)]
public sealed class LoginFailureTests(AppHostFixture fixture) : IAsyncLifetime
{
    private LoginReplica _replica = null!;

    public async Task InitializeAsync() => _replica = await LoginReplica.SharedAsync(fixture);

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
            && e.ScopeValue("CorrelationId") == correlationId, "the login_failed audit entry, in the request's correlation scope");
    }
}
