using ChatPulse.Api.Accounts;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Clients;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatPulse.Tests.Accounts;

/// <summary>
/// What the accounts feature makes of the settings, read from the options the API's own registrations build: the
/// session cookie (Secure in production, SESSION_MAX_AGE, sliding) and where Twitch lives when nothing says otherwise.
/// </summary>
public sealed class AccountsOptionsTests
{
    [Theory]
    [InlineData("production", true)]
    [InlineData("development", false)]
    public void Session_and_login_cookies_are_secure_in_production_even_on_a_plain_http_request(string appEnv, bool secure)
    {
        using var services = Build(appEnv == "production" ? ApiServices.ProductionSettings() : ApiServices.ValidGuideSettings());
        var session = SessionOptions(services);
        var login = services.GetRequiredService<IOptionsMonitor<OAuthOptions>>().Get(AccountsExtensions.TwitchScheme);

        // Behind the ingress the pod sees plain HTTP; production must mark the cookie Secure all the same.
        var plainHttp = new DefaultHttpContext();
        plainHttp.Request.Scheme = "http";
        var cookie = session.Cookie.Build(plainHttp);

        Assert.Equal(secure, cookie.Secure);
        Assert.Equal(secure, login.CorrelationCookie.Build(plainHttp).Secure);
        Assert.Equal(SessionCookieSetup.CookieName, session.Cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, cookie.SameSite);
    }

    [Theory]
    [InlineData(null, 168)]
    [InlineData("36h", 36)]
    public void The_session_lasts_session_max_age_and_slides(string? sessionMaxAge, int hours)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings["SESSION_MAX_AGE"] = sessionMaxAge;

        using var services = Build(settings);
        var session = SessionOptions(services);

        Assert.Equal(TimeSpan.FromHours(hours), session.ExpireTimeSpan);
        Assert.True(session.SlidingExpiration);
    }

    [Fact]
    public void Without_base_url_settings_login_and_helix_go_to_the_real_twitch()
    {
        var settings = ApiServices.ValidGuideSettings();
        Assert.DoesNotContain(settings.Keys, key => key.StartsWith("TWITCH_", StringComparison.Ordinal) && key.EndsWith("_BASE_URL", StringComparison.Ordinal));
        using var services = Build(settings);

        var twitch = services.GetRequiredService<IOptions<TwitchOptions>>().Value;
        var login = services.GetRequiredService<IOptionsMonitor<OAuthOptions>>().Get(AccountsExtensions.TwitchScheme);
        var clients = services.GetRequiredService<IHttpClientFactory>();

        Assert.Equal("https://id.twitch.tv", twitch.AuthBaseUrl);
        Assert.Equal("https://api.twitch.tv/helix", twitch.HelixBaseUrl);
        Assert.Equal("https://id.twitch.tv/oauth2/authorize", login.AuthorizationEndpoint);
        Assert.Equal("https://id.twitch.tv/oauth2/token", login.TokenEndpoint);
        Assert.Equal("https://api.twitch.tv/helix/users", login.UserInformationEndpoint);
        Assert.Equal(new Uri("https://id.twitch.tv/"), clients.CreateClient(nameof(TwitchAuthClient)).BaseAddress);
        Assert.Equal(new Uri("https://api.twitch.tv/helix/"), clients.CreateClient(nameof(HelixClient)).BaseAddress);
    }

    private static CookieAuthenticationOptions SessionOptions(ServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AccountsExtensions.SessionScheme);

    /// <summary>The API's settings, Twitch clients and accounts registrations over <paramref name="settings"/>.</summary>
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = ApiServices.Builder(settings);
        builder.AddTwitch();
        builder.AddAccounts();

        // The shared key ring lives in Redis; reading options protects nothing, so an in-memory ring will do.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        return builder.Services.BuildServiceProvider();
    }
}
