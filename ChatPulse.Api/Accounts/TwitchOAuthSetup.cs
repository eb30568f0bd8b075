using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
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
            OnAccessDenied = context =>
            {
                Audit(context.HttpContext).LoginFailed("access_denied: the streamer declined on Twitch");
                context.Response.Redirect(AccountsExtensions.ErrorPath("denied"));
                context.HandleResponse();
                return Task.CompletedTask;
            },
            OnRemoteFailure = context =>
            {
                var state = context.Failure?.Message.Contains("state", StringComparison.OrdinalIgnoreCase) == true
                    || context.Failure?.Message.Contains("Correlation", StringComparison.OrdinalIgnoreCase) == true;
                Audit(context.HttpContext).LoginFailed($"{(state ? "state" : "twitch")}: {context.Failure?.Message}");
                context.Response.Redirect(AccountsExtensions.ErrorPath(state ? "state" : "twitch"));
                context.HandleResponse();
                return Task.CompletedTask;
            },
        };
    }

    public void Configure(OAuthOptions options) => Configure(Options.DefaultName, options);

    private static AuditLog Audit(HttpContext context) => context.RequestServices.GetRequiredService<AuditLog>();

    private static async Task OnCreatingTicketAsync(OAuthCreatingTicketContext context)
    {
        var cancellationToken = context.HttpContext.RequestAborted;
        var user = await TwitchUsers.GetCurrentAsync(context.Backchannel, context.Options.UserInformationEndpoint,
            context.Options.ClientId, context.AccessToken ?? "", cancellationToken);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<StreamerSignIn>();
        await signIn.SignInAsync(context.Identity!, user.Id, user.Login, user.DisplayName is { Length: > 0 } name ? name : user.Login,
            cancellationToken);
    }
}
