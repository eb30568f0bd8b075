using System.Net.WebSockets;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Overlay;

/// <summary><c>GET /overlay/{overlayId}</c> (the OBS page) and <c>/ws/overlay/{overlayId}</c> (its socket).</summary>
public static class OverlayEndpoints
{
    public static IEndpointRouteBuilder MapOverlay(this IEndpointRouteBuilder app)
    {
        // Any page (OBS) may frame the overlay; its CSP allows exactly its own inline style and script.
        var page = app.ServiceProvider.GetRequiredService<OverlayPage>();
        app.MapGet("/overlay/{overlayId}", GetPageAsync).WithName("OverlayPage").ExcludeFromDescription()
            .AllowEmbedding(page.ContentSecurityPolicy);
        app.MapGet("/ws/overlay/{overlayId}", ConnectAsync).WithName("OverlaySocket").ExcludeFromDescription();
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

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ConnectAsync(string overlayId, HttpContext context,
        OverlayHub hub, StreamerStore store, ChannelDirectory directory, ChatPulseMetrics metrics, ILogger<OverlayHub> logger)
    {
        if (!TryParseOverlayId(overlayId, out var id))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed overlay id",
                detail: "The overlay id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            return TypedResults.Problem(statusCode: StatusCodes.Status426UpgradeRequired, title: "WebSocket required",
                detail: "Open this URL as a WebSocket (the overlay page does).");
        }

        if (!OriginPolicy.Allows(context.Request))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                detail: "Overlay sockets accept the ChatPulse page's own origin, or no Origin header.");
        }

        if (!hub.TryReserve())
        {
            context.Response.Headers.RetryAfter = OverlayProtocol.RetryAfterSeconds.ToString();
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Overlay capacity reached",
                detail: hub.IsStopping
                    ? "This replica is shutting down; reconnect to reach another."
                    : $"This replica holds its maximum of {hub.MaxConnections} overlay connections (MAX_WEBSOCKET_CONNECTIONS); retry shortly.");
        }

        try
        {
            var streamer = await store.GetByOverlayIdAsync(id, context.RequestAborted);
            var channel = streamer is null ? null : await directory.GetAsync(streamer.TwitchUserId, context.RequestAborted);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = OverlayProtocol.KeepAliveInterval,
                KeepAliveTimeout = OverlayProtocol.KeepAliveTimeout,
            });
            metrics.WebSocketOpened();
            try
            {
                if (channel is null)
                {
                    await CloseQuietlyAsync(socket, OverlayProtocol.CloseOverlayGone, "overlay not found");
                }
                else
                {
                    await hub.ServeAsync(socket, id, channel, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Overlay socket for {Broadcaster} failed", channel?.Streamer.TwitchUserId);
                await CloseQuietlyAsync(socket, OverlayProtocol.CloseServerError, "server error");
            }
            finally
            {
                metrics.WebSocketClosed();
            }

            return TypedResults.Empty;
        }
        finally
        {
            hub.Release();
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, int code, string reason)
    {
        using var timeout = new CancellationTokenSource(OverlayProtocol.CloseHandshakeTimeout);
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)code, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}
