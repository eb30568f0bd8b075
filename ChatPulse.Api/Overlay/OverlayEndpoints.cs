using System.Globalization;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Overlay;

/// <summary><c>GET /overlay/{overlayId}</c>, the OBS page; its socket is <see cref="OverlaySocketMiddleware"/>.</summary>
public static class OverlayEndpoints
{
    public const string PageRoute = "/overlay/{overlayId}";

    public static IEndpointRouteBuilder MapOverlay(this IEndpointRouteBuilder app)
    {
        // Any page (OBS) may frame the overlay; its CSP allows exactly its own inline style and script.
        var page = app.ServiceProvider.GetRequiredService<OverlayPage>();
        app.MapGet(PageRoute, GetPageAsync).WithName("OverlayPage").ExcludeFromDescription()
            .AllowEmbedding(page.ContentSecurityPolicy)
            .RequireRateLimiting(OverlayRateLimits.PagePolicy);
        return app;
    }

    /// <summary>The overlay id in URLs: a GUID in its 36-character form.</summary>
    public static bool TryParseOverlayId(string value, out Guid overlayId) => Guid.TryParseExact(value, "D", out overlayId);

    // Every answer is the page or its embeddable notice, never problem+json: OBS shows whatever it gets.
    private static async Task<ContentHttpResult> GetPageAsync(string overlayId, HttpContext context, OverlayPage page,
        OverlayDirectory directory, ChatPulseMetrics metrics)
    {
        OverlayPage.ApplyHeaders(context.Response);
        if (!TryParseOverlayId(overlayId, out var id))
        {
            return TypedResults.Content(page.BadRequest, OverlayPage.ContentType, statusCode: StatusCodes.Status400BadRequest);
        }

        switch ((await directory.FindAsync(id, context.RequestAborted)).Result)
        {
            case OverlayLookupResult.Known:
                return TypedResults.Content(page.Live, OverlayPage.ContentType);
            case OverlayLookupResult.Unknown:
                return TypedResults.Content(page.NotFound, OverlayPage.ContentType, statusCode: StatusCodes.Status404NotFound);
            default:
                metrics.OverlayRefusals.Add(1, new("target", "page"), new("reason", "database_unavailable"));
                context.Response.Headers.RetryAfter = OverlayPage.RetrySeconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Content(page.Unavailable, OverlayPage.ContentType, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
