using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Twitch.Clients;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;

namespace ChatPulse.Api.Accounts;

/// <summary>Points the OAuth handler at Twitch (or the stand-in) from <see cref="TwitchOptions"/>.</summary>
internal sealed class TwitchOAuthSetup(IOptions<TwitchOptions> twitch, IOptions<AppOptions> app) : IConfigureNamedOptions<OAuthOptions>
{
    public void Configure(string? name, OAuthOptions options)
    {
        if (name != AccountsExtensions.TwitchScheme)
        {
            return;
        }

        var settings = twitch.Value;
        var authBase = settings.AuthBaseUrl.TrimEnd('/');
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecret;
        options.AuthorizationEndpoint = $"{authBase}/oauth2/authorize";
        options.TokenEndpoint = $"{authBase}/oauth2/token";
        options.UserInformationEndpoint = $"{settings.HelixBaseUrl.TrimEnd('/')}/users";
        options.CallbackPath = AccountsExtensions.CallbackPath;
        options.Scope.Clear();
        options.Scope.Add("channel:bot");
        options.SignInScheme = AccountsExtensions.SessionScheme;
        options.SaveTokens = false; // The bot reads chat with the app token; a streamer's token is not kept.
        options.BackchannelTimeout = TimeSpan.FromSeconds(10);

        // Lax: the return from Twitch is a top-level GET, and a non-Secure cookie must work on plain-HTTP local runs.
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = app.Value.IsProduction ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

        options.Events = new OAuthEvents
        {
            OnCreatingTicket = OnCreatingTicketAsync,
            OnAccessDenied = context => FailAsync(context, LoginFailures.Denied, "the streamer declined on Twitch"),
            OnRemoteFailure = context =>
                FailAsync(context, LoginFailures.CauseOf(context.Failure), context.Failure?.Message ?? "no reason given"),
        };
    }

    public void Configure(OAuthOptions options) => Configure(Options.DefaultName, options);

    /// <summary>Audits the failed login with its cause and sends the browser to the page that names it.</summary>
    private static Task FailAsync(HandleRequestContext<RemoteAuthenticationOptions> context, string cause, string reason)
    {
        context.HttpContext.RequestServices.GetRequiredService<AuditLog>().LoginFailed(cause, reason);
        context.Response.Redirect(AccountsExtensions.ErrorPath(cause));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static async Task OnCreatingTicketAsync(OAuthCreatingTicketContext context)
    {
        var cancellationToken = context.HttpContext.RequestAborted;
        var user = await TwitchUsers.GetCurrentAsync(context.Backchannel, context.Options.UserInformationEndpoint,
            context.Options.ClientId, context.AccessToken ?? "", cancellationToken);
        // A login over a live session (a reconnect) replaces it: the old session ends, and copies of its cookie with it.
        var previous = await context.HttpContext.AuthenticateAsync(AccountsExtensions.SessionScheme);
        if (previous.Principal?.FindFirst(StreamerClaims.SessionId)?.Value is { } id && Guid.TryParse(id, out var sessionId))
        {
            await context.HttpContext.RequestServices.GetRequiredService<SessionStore>().EndAsync(sessionId, cancellationToken);
        }

        var signIn = context.HttpContext.RequestServices.GetRequiredService<StreamerSignIn>();
        await signIn.SignInAsync(context.Identity!, user.Id, user.Login, user.DisplayName is { Length: > 0 } name ? name : user.Login,
            cancellationToken);
    }
}
