namespace ChatPulse.Api.Overlay;

/// <summary>The overlay socket's constants, shared by the server and (by value) the page's script.</summary>
public static class OverlayProtocol
{
    /// <summary>Latest state wins; a socket gets at most one state frame per interval (20 per second).</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>App-level <c>{"type":"ping"}</c> frames, so the page (which cannot see protocol pings) can tell a dead link.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(25);

    /// <summary>Protocol-level ping; a peer that does not answer within <see cref="KeepAliveTimeout"/> is dropped.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a server-initiated close waits for the peer's close frame before aborting.</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The overlay id is unknown or was rotated: the page must not reconnect.</summary>
    public const int CloseOverlayGone = 4404;

    /// <summary>The replica is shutting down: reconnect (to another replica) at once.</summary>
    public const int CloseGoingAway = 1001;

    /// <summary>Something failed on the server: reconnect with back-off.</summary>
    public const int CloseServerError = 1011;

    /// <summary>Seconds a refused client (replica full or stopping) should wait: the Retry-After header.</summary>
    public const int RetryAfterSeconds = 5;
}
