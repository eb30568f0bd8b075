using System.Globalization;
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
/// and its refusals (each with Retry-After when waiting helps, counted in <c>chatpulse.overlay.refusals</c>) get the
/// security headers and a problem body here. Its own per-client upgrade limit, caps (<see cref="OverlaySlots"/>) and
/// lookup memory (<see cref="OverlayDirectory"/>) apply here too.
/// </summary>
internal sealed class OverlaySocketMiddleware(
    RequestDelegate next,
    OverlayHub hub,
    OverlaySlots slots,
    OverlayRateLimits limits,
    OverlayDirectory overlays,
    ChannelDirectory directory,
    ChatPulseMetrics metrics,
    IProblemDetailsService problems,
    IOptions<AppOptions> options,
    ILogger<OverlayHub> logger)
{
    public const string PathPrefix = "/ws/overlay";

    public const string Route = PathPrefix + "/{overlayId}";

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

            var lookup = await overlays.FindAsync(id, context.RequestAborted);
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if ((DatabaseDown(lookup) ?? Reserve(id, client)) is { } notAdmitted)
            {
                await RefuseAsync(context, notAdmitted);
                return;
            }

            try
            {
                await AcceptAsync(context, id, lookup);
            }
            finally
            {
                slots.Release(id, client);
            }
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var outage = OverlayDirectory.IsDatabaseOutage(e, context.RequestAborted);
            logger.Log(outage ? LogLevel.Warning : LogLevel.Error, e, "Overlay socket request failed before the upgrade");
            await RefuseAsync(context, outage ? Unavailable() : new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong",
                Detail = "The overlay could not connect; it retries by itself.",
            });
        }
    }

    /// <summary><c>?preview=1</c>: the dashboard's preview or the dock, left out of the connected-overlays count.</summary>
    private static bool IsPreview(HttpRequest request) => request.Query["preview"] == "1";

    /// <summary>Why the request cannot become a socket before anything is looked up, or null.</summary>
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

        using var lease = limits.AcquireUpgrade(context);
        if (!lease.IsAcquired)
        {
            var seconds = OverlayRateLimits.RetryAfterSeconds(lease);
            return Refused(StatusCodes.Status429TooManyRequests, "rate_limited", seconds, "Too many requests",
                $"Too many overlay connections opened from this address; try again in {seconds} s.");
        }

        if (hub.IsStopping)
        {
            return Refused(StatusCodes.Status503ServiceUnavailable, "shutting_down", OverlayProtocol.RetryAfterSeconds,
                "Overlay capacity reached", "This replica is shutting down; reconnect to reach another.");
        }

        return null;
    }

    private ProblemDetails? DatabaseDown(OverlayLookup lookup) =>
        lookup.Result == OverlayLookupResult.DatabaseUnavailable ? Unavailable() : null;

    /// <summary>Takes a slot, or says which cap refused it.</summary>
    private ProblemDetails? Reserve(Guid id, string client) => slots.TryReserve(id, client) switch
    {
        SlotRefusal.None => null,
        SlotRefusal.OverlayFull => Refused(StatusCodes.Status429TooManyRequests, "overlay_cap", OverlayProtocol.RetryAfterSeconds,
            "Too many sockets for this overlay", $"This overlay holds its maximum of {options.Value.MaxOverlaySocketsPerId} sockets on this replica (MAX_OVERLAY_SOCKETS_PER_ID)."),
        SlotRefusal.ClientFull => Refused(StatusCodes.Status429TooManyRequests, "client_cap", OverlayProtocol.RetryAfterSeconds,
            "Too many sockets from this address", $"This address holds its maximum of {options.Value.MaxOverlaySocketsPerClient} overlay sockets on this replica (MAX_OVERLAY_SOCKETS_PER_CLIENT)."),
        _ => Refused(StatusCodes.Status503ServiceUnavailable, "replica_full", OverlayProtocol.RetryAfterSeconds, "Overlay capacity reached",
            $"This replica holds its maximum of {slots.MaxConnections} overlay connections (MAX_WEBSOCKET_CONNECTIONS); retry shortly."),
    };

    private ProblemDetails Unavailable() =>
        Refused(StatusCodes.Status503ServiceUnavailable, "database_unavailable", OverlayProtocol.RetryAfterSeconds,
            "Overlay briefly unavailable", "The overlay's settings cannot be read right now; it retries by itself.");

    /// <summary>A counted refusal with its Retry-After (set on the response when it is written).</summary>
    private ProblemDetails Refused(int status, string reason, int retryAfterSeconds, string title, string detail)
    {
        metrics.OverlayRefusals.Add(1, new("target", "socket"), new("reason", reason));
        var problem = Problem(status, title, detail);
        problem.Extensions[RetryAfterKey] = retryAfterSeconds;
        return problem;
    }

    private async Task AcceptAsync(HttpContext context, Guid id, OverlayLookup lookup)
    {
        var channel = lookup.BroadcasterId is { } broadcasterId ? await directory.GetAsync(broadcasterId, context.RequestAborted) : null;
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
                await hub.ServeAsync(socket, id, channel, IsPreview(context.Request), context.RequestAborted);
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
        if (problem.Extensions.Remove(RetryAfterKey, out var seconds))
        {
            context.Response.Headers.RetryAfter = Convert.ToString(seconds, CultureInfo.InvariantCulture);
        }

        SecurityHeadersExtensions.Apply(context, _production);
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private const string RetryAfterKey = "retryAfterSeconds";

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
        public string Route => OverlaySocketMiddleware.Route;
    }
}
