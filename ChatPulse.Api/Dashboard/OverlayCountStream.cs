using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ChatPulse.Api.Accounts;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// <c>GET /api/dashboard/overlays/live</c>: the connected-overlay count (every replica's, from presence) as
/// server-sent events named <c>overlays</c> with data <c>{"connected":n}</c>. Presence is read each
/// <see cref="Interval"/> and an event sent when the count changes (and every <see cref="KeepAlive"/>, so proxies keep
/// the stream open). One request per open page instead of a poll every second or two, so the dashboard's per-address
/// rate limit stays for clicks. The stream ends after <see cref="Lifetime"/> (the browser reconnects after
/// <see cref="Reconnect"/>, and its session is checked again) or when the replica stops.
/// </summary>
public static class OverlayCountStream
{
    public const string Path = "/api/dashboard/overlays/live";

    public const string EventType = "overlays";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    // Left out of the request metrics like the overlay socket: a request minutes long would read as latency.
    internal static RouteHandlerBuilder MapOverlayCountStream(this RouteGroupBuilder api) =>
        api.MapGet("/overlays/live", StreamAsync).WithName("StreamOverlayCount").DisableHttpMetrics();

    private static async Task<Results<ServerSentEventsResult<DashboardApi.OverlayCountResponse>, UnauthorizedHttpResult>> StreamAsync(
        HttpContext context, StreamerStore store, OverlayPresence presence, IHostApplicationLifetime lifetime, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (context.User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
        return TypedResults.ServerSentEvents(CountsAsync(streamer.TwitchUserId, presence, time, lifetime.ApplicationStopping, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<DashboardApi.OverlayCountResponse>> CountsAsync(string broadcasterId,
        OverlayPresence presence, TimeProvider time, CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        using var timer = new PeriodicTimer(Interval, time);
        var started = time.GetTimestamp();
        var lastSent = started;
        long? last = null;
        do
        {
            var count = await ReadAsync(presence, broadcasterId, stop.Token);
            if (count is { } connected && (connected != last || time.GetElapsedTime(lastSent) >= KeepAlive))
            {
                last = connected;
                lastSent = time.GetTimestamp();
                yield return new SseItem<DashboardApi.OverlayCountResponse>(new(connected), EventType) { ReconnectionInterval = Reconnect };
            }
        }
        while (time.GetElapsedTime(started) < Lifetime && await TickAsync(timer, stop.Token));
    }

    // Null while Redis does not answer (the page keeps the last count it was sent), or once the stream is stopping.
    private static async Task<long?> ReadAsync(OverlayPresence presence, string broadcasterId, CancellationToken cancellationToken)
    {
        try
        {
            return await presence.TryCountAsync(broadcasterId, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false; // the page went away, or the replica stops
        }
    }
}
