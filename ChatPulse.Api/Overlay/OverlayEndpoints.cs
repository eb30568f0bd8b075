using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Overlay;

/// <summary><c>GET /overlay/{overlayId}</c>, the OBS page; its socket is <see cref="OverlaySocketMiddleware"/>.</summary>
public static class OverlayEndpoints
{
    public static IEndpointRouteBuilder MapOverlay(this IEndpointRouteBuilder app)
    {
        // Any page (OBS) may frame the overlay; its CSP allows exactly its own inline style and script.
        var page = app.ServiceProvider.GetRequiredService<OverlayPage>();
        app.MapGet("/overlay/{overlayId}", GetPageAsync).WithName("OverlayPage").ExcludeFromDescription()
            .AllowEmbedding(page.ContentSecurityPolicy);
        return app;
    }

    /// <summary>The overlay id in URLs: a GUID in its 36-character form.</summary>
    public static bool TryParseOverlayId(string value, out Guid overlayId) => Guid.TryParseExact(value, "D", out overlayId);

    private static async Task<ContentHttpResult> GetPageAsync(string overlayId, HttpContext context, OverlayPage page, StreamerStore store)
    {
        OverlayPage.ApplyHeaders(context.Response);
        if (!TryParseOverlayId(overlayId, out var id))
        {
            return TypedResults.Content(page.BadRequest, "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        return await store.GetByOverlayIdAsync(id, context.RequestAborted) is null
            ? TypedResults.Content(page.NotFound, "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Content(page.Live, "text/html; charset=utf-8");
    }
}
