using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Accounts;

/// <summary>Callbacks that do not come from a login this app started: a friendly page, no session, an audit entry.</summary>
[Collection(AppHostCollection.Name)]
public sealed class LoginFailureTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _api = null!;

    public async Task InitializeAsync()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["LOG_FORMAT"] = "json";
        _api = ApiInstance.Start(environment);
        await _api.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("/auth/callback?code=abc&scope=channel%3Abot&state=forged-state-value")]
    [InlineData("/auth/callback?code=abc")]
    [InlineData("/auth/callback?error=access_denied&error_description=nope&state=forged")]
    public async Task A_callback_with_a_forged_or_missing_state_lands_on_the_friendly_page_without_a_session(string callback)
    {
        var cookies = new CookieContainer();
        using var client = LoopbackClient.Create(_api.BaseAddress, cookies: cookies);
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
        await Waits.Until(() => Task.FromResult(JsonLogEntry.Parse(_api.Output).Any(e =>
            e.Category == AuditLog.Category && e.Value("Action") == "login_failed" && e.ScopeValue("CorrelationId") == correlationId)),
            Waits.Short, "the login_failed audit entry");
    }
}
