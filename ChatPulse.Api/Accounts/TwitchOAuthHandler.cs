using System.Text.Encodings.Web;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;

namespace ChatPulse.Api.Accounts;

/// <summary>
/// The framework's OAuth handler, with one change: the <c>redirect_uri</c> sent to Twitch (authorize and token
/// exchange) is TWITCH_REDIRECT_URI exactly, not one rebuilt from the request's host. Behind a load balancer the
/// request host is internal, and Twitch compares the URI to the registered one byte for byte.
/// State, correlation cookie and code exchange stay the framework's.
/// </summary>
public sealed class TwitchOAuthHandler(
    IOptionsMonitor<OAuthOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<TwitchOptions> twitch)
    : OAuthHandler<OAuthOptions>(options, logger, encoder)
{
    private string RedirectUri => twitch.Value.RedirectUri;

    protected override string BuildChallengeUrl(AuthenticationProperties properties, string redirectUri) =>
        base.BuildChallengeUrl(properties, RedirectUri);

    protected override Task<OAuthTokenResponse> ExchangeCodeAsync(OAuthCodeExchangeContext context) =>
        base.ExchangeCodeAsync(new OAuthCodeExchangeContext(context.Properties, context.Code, RedirectUri));
}
