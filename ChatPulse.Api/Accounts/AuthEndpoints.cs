using ChatPulse.Api.Platform;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Accounts;

public static class AuthEndpoints
{
    public const string DashboardPath = "/dashboard";

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").RequireRateLimiting(RateLimits.Auth);
        auth.MapGet("/login", Login).WithName("Login");
        // The OAuth handler answers this path before routing's endpoint runs; the endpoint exists so the auth rate
        // limit applies to callbacks too, and so a request the handler somehow let through still lands somewhere kind.
        auth.MapGet("/callback", () => TypedResults.Redirect(AccountsExtensions.ErrorPath("state")));
        auth.MapPost("/logout", LogoutAsync).WithName("Logout");
        auth.MapPost("/logout-everywhere", LogoutEverywhereAsync).WithName("LogoutEverywhere");
        return app;
    }

    /// <summary>
    /// Signed in: straight to the dashboard, no Twitch round trip. Otherwise (or with <c>reconnect=true</c>, to grant
    /// Twitch access again) a challenge that sends the browser to Twitch.
    /// </summary>
    private static Results<RedirectHttpResult, ChallengeHttpResult> Login(HttpContext context, bool reconnect = false)
    {
        if (context.User.Identity?.IsAuthenticated == true && !reconnect)
        {
            return TypedResults.Redirect(DashboardPath);
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = DashboardPath, IsPersistent = true },
            [AccountsExtensions.TwitchScheme]);
    }

    /// <summary>
    /// A POST with a valid antiforgery token ends the session: its stored row goes, so a copy of the cookie is refused
    /// too. Anything else is a 400.
    /// </summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> LogoutAsync(
        HttpContext context, IAntiforgery antiforgery, SessionStore sessions, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return InvalidToken();
        }

        if (context.User.GetSessionId() is { } sessionId)
        {
            await sessions.EndAsync(sessionId, cancellationToken);
        }

        if (context.User.GetStreamerId() is { } streamerId)
        {
            audit.LoggedOut(streamerId, TwitchUserId(context));
        }

        await context.SignOutAsync(AccountsExtensions.SessionScheme);
        return TypedResults.Redirect("/");
    }

    /// <summary>The dashboard's "Log out everywhere": ends every session of the signed-in streamer, in every browser.</summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> LogoutEverywhereAsync(
        HttpContext context, IAntiforgery antiforgery, SessionStore sessions, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return InvalidToken();
        }

        if (context.User.GetStreamerId() is { } streamerId)
        {
            var ended = await sessions.EndAllAsync(streamerId, cancellationToken);
            audit.LoggedOutEverywhere(streamerId, TwitchUserId(context), ended);
        }

        await context.SignOutAsync(AccountsExtensions.SessionScheme);
        return TypedResults.Redirect("/");
    }

    private static ProblemHttpResult InvalidToken() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: "Missing or invalid antiforgery token", detail: "Reload the page and try again.");

    private static string TwitchUserId(HttpContext context) => context.User.FindFirst(StreamerClaims.TwitchUserId)?.Value ?? "";
}
