using ChatPulse.Api.Votes;
using Microsoft.AspNetCore.RateLimiting;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace ChatPulse.Api.Overlay;

public static class OverlayExtensions
{
    /// <summary>
    /// The OBS page, the overlay sockets and their cross-replica fan-out and presence. Reads the streamers' channel
    /// directory and the votes' window (AddStreamers, AddVotes); the app
    /// calls <see cref="UseOverlaySockets"/> early in its pipeline and <see cref="OverlayEndpoints.MapOverlay"/>.
    /// </summary>
    public static IHostApplicationBuilder AddOverlay(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<WebSocketOptions>(options =>
        {
            options.KeepAliveInterval = OverlayProtocol.KeepAliveInterval;
            options.KeepAliveTimeout = OverlayProtocol.KeepAliveTimeout;
        });

        builder.Services.AddOverlayTracing();

        builder.Services.AddSingleton<OverlayPresence>();
        builder.Services.AddSingleton<OverlayPage>();
        builder.Services.AddSingleton<OverlayDirectory>();
        builder.Services.AddSingleton<OverlaySlots>();
        builder.Services.AddSingleton<OverlayRateLimits>();
        builder.Services.Configure<RateLimiterOptions>(options =>
            options.AddPolicy<string, OverlayPageRateLimitPolicy>(OverlayRateLimits.PagePolicy));
        builder.Services.AddSingleton(sp => new OverlayFeedServices(
            sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
            sp.GetRequiredService<ISentimentSource>(),
            sp.GetRequiredService<Polls.PollState>(),
            sp.GetRequiredService<OverlayPresence>(),
            sp.GetRequiredService<Infrastructure.ReplicaIdentity>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("ChatPulse.Api.Overlay.BroadcasterFeed")));
        builder.Services.AddSingleton<OverlayHub>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OverlayHub>());
        builder.Services.AddHostedService<OverlayStreamerEvents>();
        builder.Services.AddHostedService<OverlayHeartbeats>();
        return builder;
    }

    /// <summary>
    /// What overlay requests leave in traces. An overlay socket is one request lasting hours: as a span it says
    /// nothing and holds memory per socket, so it has none. The page's span names its route, and its
    /// <c>url.path</c> is the route too: the overlay id in the path is the overlay's only credential.
    /// </summary>
    public static IServiceCollection AddOverlayTracing(this IServiceCollection services) =>
        services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
        {
            var previousFilter = options.Filter;
            options.Filter = context => !context.Request.Path.StartsWithSegments(OverlaySocketMiddleware.PathPrefix) && (previousFilter?.Invoke(context) ?? true);
            var previousEnrich = options.EnrichWithHttpRequest;
            options.EnrichWithHttpRequest = (activity, request) =>
            {
                previousEnrich?.Invoke(activity, request);
                if (request.Path.StartsWithSegments("/overlay"))
                {
                    activity.SetTag("url.path", OverlayEndpoints.PageRoute);
                }
            };
        });

    /// <summary>
    /// Serves <c>/ws/overlay/{overlayId}</c> (WebSockets included) and passes every other request on. Put it before
    /// authentication and the page middleware: a socket keeps whatever its request set up for as long as it is open.
    /// </summary>
    public static IApplicationBuilder UseOverlaySockets(this IApplicationBuilder app) =>
        app.UseWebSockets().UseMiddleware<OverlaySocketMiddleware>();
}
