using ChatPulse.Api.Accounts;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Dashboard;

/// <summary>The dashboard's small JSON API (signed-in streamer only; errors as problem details).</summary>
public static class DashboardApi
{
    /// <summary>Overlays connected for the signed-in streamer, across every replica (live: <see cref="OverlayCountStream"/>).</summary>
    public sealed record OverlayCountResponse(long Connected);

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard").RequireAuthorization().RequireRateLimiting(RateLimits.Dashboard);
        api.MapGet("/overlays", GetOverlayCountAsync).WithName("GetOverlayCount");

        // The live count, test votes (Dashboard/OverlayCountStream.cs, Dashboard/TestVotes.cs).
        api.MapOverlayCountStream();
        api.MapTestVotes();
        return app;
    }

    private static async Task<Results<Ok<OverlayCountResponse>, UnauthorizedHttpResult>> GetOverlayCountAsync(
        HttpContext context, StreamerStore store, OverlayPresence presence, CancellationToken cancellationToken)
    {
        if (context.User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new OverlayCountResponse(await presence.CountAsync(streamer.TwitchUserId, cancellationToken)));
    }
}
