using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatPulse.Api.Platform;

/// <summary>
/// The one rate limiter (429 with Retry-After as problem details) and per-client-IP token buckets for the routes this
/// file names. Other route groups (webhooks, overlay sockets, health, metrics) are not limited here; their owners add
/// their own policies through <c>Configure&lt;RateLimiterOptions&gt;</c> (the overlay's: <c>Overlay/OverlayRateLimits.cs</c>,
/// the webhook's: <c>Twitch/TwitchExtensions.cs</c>).
/// The client IP is the connection's, or the one trusted proxies forward (TRUSTED_PROXIES, see WebPlatformExtensions).
/// </summary>
public static class RateLimits
{
    /// <summary>Login, callback, logout, login page: about 10 a minute, bursts of 5.</summary>
    public const string Auth = "auth";

    /// <summary>Dashboard pages and the dashboard's JSON API: about 30 a minute, bursts of 10.</summary>
    public const string Dashboard = "dashboard";

    internal static readonly TokenBucketRateLimiterOptions AuthBucket = Bucket(burst: 5, perMinute: 10);
    internal static readonly TokenBucketRateLimiterOptions DashboardBucket = Bucket(burst: 10, perMinute: 30);

    public static IServiceCollection AddChatPulseRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Auth, context => PerClientIp(context, AuthBucket));
            options.AddPolicy(Dashboard, context => PerClientIp(context, DashboardBucket));
            options.OnRejected = OnRejectedAsync;
        });

    internal static RateLimitPartition<string> PerClientIp(HttpContext context, TokenBucketRateLimiterOptions bucket) =>
        RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => bucket);

    internal static TokenBucketRateLimiterOptions Bucket(int burst, int perMinute) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(6);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Slow down a little: try again in {seconds} s.",
            },
        });
    }
}
