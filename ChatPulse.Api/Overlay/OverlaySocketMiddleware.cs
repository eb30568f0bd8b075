using System.Net.WebSockets;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// <c>GET /ws/overlay/{overlayId}</c>, served ahead of the page pipeline. A socket is one request that lasts for hours,
/// so whatever the pipeline sets up for a request — authentication handlers, the DI scope, every middleware's
/// pending await, logging scopes, the security headers' dictionary — would be held as long, per socket (about 3.5 KB,
/// measured with 10,000 sockets). The socket needs none of it: it carries no cookie, changes nothing (no antiforgery),
/// has no rate limit, and its refusals get the security headers and a problem body here.
/// </summary>
internal sealed class OverlaySocketMiddleware(
    RequestDelegate next,
    OverlayHub hub,
    StreamerStore store,
    ChannelDirectory directory,
    ChatPulseMetrics metrics,
    IProblemDetailsService problems,
    IOptions<AppOptions> options,
    ILogger<OverlayHub> logger)
{
    public const string PathPrefix = "/ws/overlay";

    /// <summary>What routing would have set: metrics label the requests with this route.</summary>
    private static readonly Endpoint SocketEndpoint = new(null, new EndpointMetadataCollection(new SocketRoute()), "OverlaySocket");

    private readonly bool _production = options.Value.IsProduction;

    public Task InvokeAsync(HttpContext context)
    {
        // Exactly one segment after the prefix; anything else is the rest of the app's (a 404).
        if (!HttpMethods.IsGet(context.Request.Method)
            || !context.Request.Path.StartsWithSegments(PathPrefix, out var rest)
            || rest.Value is not { Length: > 1 } segment
            || segment.IndexOf('/', 1) >= 0)
        {
            return next(context);
        }

        context.SetEndpoint(SocketEndpoint);
        return ServeAsync(context, segment[1..]);
    }

    private async Task ServeAsync(HttpContext context, string overlayId)
    {
        try
        {
            if (Refusal(context, overlayId, out var id) is { } refused)
            {
                await RefuseAsync(context, refused);
                return;
            }

            try
            {
                await AcceptAsync(context, id);
            }
            finally
            {
                hub.Release();
            }
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "Overlay socket request failed before the upgrade");
            await RefuseAsync(context, new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong",
                Detail = "The overlay could not connect; it retries by itself.",
            });
        }
    }

    /// <summary>Why the request cannot become a socket, or null when it may (a connection slot is then reserved).</summary>
    private ProblemDetails? Refusal(HttpContext context, string overlayId, out Guid id)
    {
        if (!OverlayEndpoints.TryParseOverlayId(overlayId, out id))
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed overlay id",
                "The overlay id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            return Problem(StatusCodes.Status426UpgradeRequired, "WebSocket required", "Open this URL as a WebSocket (the overlay page does).");
        }

        if (!OriginPolicy.Allows(context.Request))
        {
            return Problem(StatusCodes.Status403Forbidden, "Origin not allowed",
                "Overlay sockets accept the ChatPulse page's own origin, or no Origin header.");
        }

        if (!hub.TryReserve())
        {
            context.Response.Headers.RetryAfter = OverlayProtocol.RetryAfterSeconds.ToString();
            return Problem(StatusCodes.Status503ServiceUnavailable, "Overlay capacity reached", hub.IsStopping
                ? "This replica is shutting down; reconnect to reach another."
                : $"This replica holds its maximum of {hub.MaxConnections} overlay connections (MAX_WEBSOCKET_CONNECTIONS); retry shortly.");
        }

        return null;
    }

    private async Task AcceptAsync(HttpContext context, Guid id)
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
    }

    private async Task RefuseAsync(HttpContext context, ProblemDetails problem)
    {
        CorrelationIdMiddleware.Assign(context);
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        SecurityHeadersExtensions.Apply(context, _production);
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

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

    private sealed class SocketRoute : IRouteDiagnosticsMetadata
    {
        public string Route => PathPrefix + "/{overlayId}";
    }
}
