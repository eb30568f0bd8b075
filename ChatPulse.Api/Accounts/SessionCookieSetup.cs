using System.Security.Cryptography;
using System.Text;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace ChatPulse.Api.Accounts;

/// <summary>
/// The session cookie: HttpOnly, SameSite=Lax, Secure in production, SESSION_MAX_AGE long and sliding, valid while its
/// stored session is (<see cref="SessionStore"/>). Its protector's
/// purpose is derived from SESSION_SECRET, so a cookie made under one secret is unreadable under another: rotating
/// SESSION_SECRET ends every session at once (the shared key ring itself is TOKEN_ENCRYPTION_KEY's business).
/// </summary>
internal sealed class SessionCookieSetup(
    IOptions<SecurityOptions> security,
    IOptions<AppOptions> app,
    IDataProtectionProvider dataProtection) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public const string CookieName = "chatpulse_session";

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name != AccountsExtensions.SessionScheme)
        {
            return;
        }

        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = app.Value.IsProduction ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = security.Value.SessionMaxAgeValue;
        options.SlidingExpiration = true;
        options.LoginPath = "/login";
        options.AccessDeniedPath = "/login";
        options.ReturnUrlParameter = "returnUrl";
        options.TicketDataFormat = new TicketDataFormat(dataProtection.CreateProtector(
            "ChatPulse.Session", SecretPurpose(security.Value.SessionSecret)));

        options.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = DropIfSessionEndedAsync,
            OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized),
            OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden),
        };
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);

    /// <summary>A purpose string that names the secret without revealing it.</summary>
    internal static string SecretPurpose(string sessionSecret) =>
        "session-secret:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sessionSecret)));

    /// <summary>
    /// A session that was logged out (here or everywhere), passed SESSION_ABSOLUTE_MAX_AGE, or whose streamer was
    /// deleted is dropped; the next page asks for a login. One query per request (<see cref="SessionStore.IsActiveAsync"/>).
    /// </summary>
    private static async Task DropIfSessionEndedAsync(CookieValidatePrincipalContext context)
    {
        var streamerId = context.Principal?.GetStreamerId();
        var sessionId = context.Principal?.GetSessionId();
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        if (streamerId is null || sessionId is null
            || !await sessions.IsActiveAsync(sessionId.Value, streamerId.Value, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AccountsExtensions.SessionScheme);
        }
    }

    /// <summary>Pages redirect to the login page; the JSON API answers 401/403 problem details instead.</summary>
    private static async Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails = { Status = status, Title = status == 401 ? "Log in first" : "Not allowed" },
            });
            return;
        }

        context.Response.Redirect(context.RedirectUri);
    }
}
