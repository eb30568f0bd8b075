using ChatPulse.Api.Infrastructure.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;

namespace ChatPulse.Api.Accounts;

public static class AccountsExtensions
{
    /// <summary>The session cookie scheme (the default scheme).</summary>
    public const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The Twitch OAuth scheme; challenged by <c>GET /auth/login</c>.</summary>
    public const string TwitchScheme = "Twitch";

    /// <summary>Where Twitch returns to; TWITCH_REDIRECT_URI must end with this path.</summary>
    public const string CallbackPath = "/auth/callback";

    /// <summary>The friendly page for a login that did not work: <c>denied</c>, <c>state</c>, <c>twitch</c> or <c>database</c>.</summary>
    public static string ErrorPath(string code) => $"/auth/error?code={code}";

    /// <summary>Twitch login (the framework's OAuth handler), cookie sessions valid on every replica, first-login handling.</summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.AddSharedKeyRing();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = SessionScheme;
                options.DefaultChallengeScheme = SessionScheme;
            })
            .AddCookie(SessionScheme)
            .AddOAuth<OAuthOptions, TwitchOAuthHandler>(TwitchScheme, "Twitch", _ => { });
        builder.Services.AddSingleton<IConfigureOptions<OAuthOptions>, TwitchOAuthSetup>();
        builder.Services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, SessionCookieSetup>();
        builder.Services.AddAuthorization();
        builder.Services.AddScoped<StreamerSignIn>();
        builder.Services.AddSingleton<SessionStore>();
        return builder;
    }

    /// <summary><c>/auth/login</c>, <c>/auth/callback</c> (handled by the OAuth handler), <c>/auth/logout</c>, <c>/auth/logout-everywhere</c>.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapAuthEndpoints();
        return app;
    }
}
