using ChatPulse.Api.Accounts;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Timeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Dashboard;

/// <summary>The dashboard's small JSON API (signed-in streamer only; errors as problem details).</summary>
public static class DashboardApi
{
    /// <summary>Overlays connected for the signed-in streamer, across every replica (live: <see cref="OverlayCountStream"/>).</summary>
    public sealed record OverlayCountResponse(long Connected);

    /// <summary>Where the dashboard's API lives; every route of the group below starts with it.</summary>
    public const string Prefix = "/api/dashboard";

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization().RequireRateLimiting(RateLimits.Dashboard);
        api.MapGet("/overlays", GetOverlayCountAsync).WithName("GetOverlayCount");

        // The live count, test votes (Dashboard/OverlayCountStream.cs, Dashboard/TestVotes.cs).
        api.MapOverlayCountStream();
        api.MapTestVotes();
        api.MapPolls(); // Polls/PollApi.cs
        api.MapTimelineExport(); // Timeline/TimelineExport.cs
        return app;
    }

    private static async Task<Results<Ok<OverlayCountResponse>, UnauthorizedHttpResult, ProblemHttpResult>> GetOverlayCountAsync(
        HttpContext context, StreamerStore store, OverlayPresence presence, CancellationToken cancellationToken)
    {
        if (context.User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        if (await presence.TryCountAsync(streamer.TwitchUserId, cancellationToken) is not { } connected)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Overlay count unavailable",
                detail: "ChatPulse cannot reach Redis right now, so it cannot count the connected overlays. Try again in a few seconds.");
        }

        return TypedResults.Ok(new OverlayCountResponse(connected));
    }
}
