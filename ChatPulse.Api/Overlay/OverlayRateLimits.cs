using System.Globalization;
using System.Threading.RateLimiting;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Platform;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// Per-client-address token buckets for the overlay, built like <see cref="RateLimits"/>' own: socket upgrades
/// (applied by <see cref="OverlaySocketMiddleware"/>, which runs ahead of the rate-limiting middleware) and the OBS
/// page (<see cref="PagePolicy"/>, whose refusal is the page's embeddable notice, not a problem body).
/// </summary>
internal sealed class OverlayRateLimits : IDisposable
{
    public const string PagePolicy = "overlay-page";

    /// <summary>Upgrades: bursts of 50 (a studio's overlays returning after a replica restart), then 2 a second.</summary>
    public static readonly TokenBucketRateLimiterOptions UpgradeBucket = RateLimits.Bucket(burst: 50, perMinute: 120);

    /// <summary>The page: bursts of 20, then 1 a second (OBS loads it once per source, and again on a refresh).</summary>
    public static readonly TokenBucketRateLimiterOptions PageBucket = RateLimits.Bucket(burst: 20, perMinute: 60);

    private readonly PartitionedRateLimiter<HttpContext> _upgrades =
        PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimits.PerClientIp(context, UpgradeBucket));

    /// <summary>Takes an upgrade token for the request's client; a lease that is not acquired carries its retry time.</summary>
    public RateLimitLease AcquireUpgrade(HttpContext context) => _upgrades.AttemptAcquire(context);

    /// <summary>Whole seconds to wait after a refused lease, at least 1.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : OverlayProtocol.RetryAfterSeconds;

    public void Dispose() => _upgrades.Dispose();
}

/// <summary>The <see cref="OverlayRateLimits.PagePolicy"/>: <see cref="OverlayRateLimits.PageBucket"/> per client address.</summary>
internal sealed class OverlayPageRateLimitPolicy(OverlayPage page, ChatPulseMetrics metrics) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (rejected, cancellationToken) =>
    {
        var response = rejected.HttpContext.Response;
        var seconds = OverlayRateLimits.RetryAfterSeconds(rejected.Lease);
        metrics.OverlayRefusals.Add(1, new("target", "page"), new("reason", "rate_limited"));
        OverlayPage.ApplyHeaders(response);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = OverlayPage.ContentType;
        await response.WriteAsync(page.TooManyRequests, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimits.PerClientIp(httpContext, OverlayRateLimits.PageBucket);
}
