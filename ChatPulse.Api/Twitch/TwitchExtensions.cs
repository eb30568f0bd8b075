using System.Net;
using System.Threading.RateLimiting;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Clients;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Api.Twitch.Webhook;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Http.Resilience;

namespace ChatPulse.Api.Twitch;

/// <summary>Everything that speaks Twitch: the inbound webhook, EventSub upkeep and the outbound clients.</summary>
public static class TwitchExtensions
{
    public const string WebhookPath = "/webhooks/eventsub";

    /// <summary>The webhook benchmark's baseline (the load tool's yardstick), mapped only when <see cref="ChatOptions.BaselineEndpoint"/> is on.</summary>
    public const string BenchmarkBaselinePath = "/webhooks/eventsub-baseline";

    public const string WebhookRateLimitPolicy = "eventsub-webhook";

    private static readonly Dictionary<string, string?> QuietRequestLogging = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Http.Result"] = "Warning",
    };

    /// <summary>
    /// The webhook (verification, revocations, the per-IP limit); EventSub upkeep (the conduit and the bot's chat
    /// subscriptions); one typed HttpClient per Twitch API (OAuth, Helix) behind the standard resilience handler, and the app token.
    /// </summary>
    public static IHostApplicationBuilder AddTwitch(this IHostApplicationBuilder builder)
    {
        builder.AddWebhook();
        builder.Services.AddEventSub();
        builder.Services.AddTwitchClients();
        return builder;
    }

    /// <summary><c>POST /webhooks/eventsub</c>, and the benchmark's baseline when it is switched on.</summary>
    public static IEndpointRouteBuilder MapTwitchWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(WebhookPath, ReceiveAsync).RequireRateLimiting(WebhookRateLimitPolicy);
        if (app.ServiceProvider.GetRequiredService<IOptions<ChatOptions>>().Value.BaselineEndpoint)
        {
            app.MapPost(BenchmarkBaselinePath, ReceiveBenchmarkBaselineAsync).RequireRateLimiting(WebhookRateLimitPolicy);
        }

        return app;
    }

    private static void AddWebhook(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ChatOptions>, ChatOptionsValidator>();
        builder.Services.AddSingleton<EventSubWebhook>();

        // Deliveries arrive by the thousand per second: ASP.NET Core's two Information lines per request would cost
        // more than the vote itself. Requests stay observable through OpenTelemetry; configuration can override these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietRequestLogging });

        // The limiter itself (429 and Retry-After) is the web platform's; the webhook adds its per-IP policy.
        builder.Services.Configure<RateLimiterOptions>(limiter => limiter.AddPolicy(WebhookRateLimitPolicy, context =>
            RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress ?? IPAddress.None,
                _ => TokenBucket(context.RequestServices.GetRequiredService<IOptions<ChatOptions>>().Value.WebhookPermitsPerSecond))));
    }

    private static void AddEventSub(this IServiceCollection services)
    {
        services.AddSingleton<ConduitManager>();
        services.AddSingleton<SubscriptionRecords>();
        services.AddSingleton<SubscriptionManager>();
        services.AddSingleton<SubscriptionReconciler>();
        services.AddSingleton<ReconcileTrigger>();
        services.AddSingleton<EventSubLock>();
        services.AddSingleton<IStreamerConnectedHandler, StreamerChatSubscriber>();
        services.AddHostedService<EventSubMaintenance>();
        services.AddSingleton<RevocationInbox>();
        services.AddSingleton<QueuedRevocationHandler>();
        services.AddSingleton<IRevocationHandler>(sp => sp.GetRequiredService<QueuedRevocationHandler>());
        services.AddHostedService(sp => sp.GetRequiredService<QueuedRevocationHandler>());
    }

    private static void AddTwitchClients(this IServiceCollection services)
    {
        services.AddHttpClient<TwitchAuthClient>((sp, http) =>
                http.BaseAddress = BaseUri(sp.GetRequiredService<IOptions<TwitchOptions>>().Value.AuthBaseUrl))
            .WithTwitchResilience();
        services.AddHttpClient<HelixClient>((sp, http) =>
                http.BaseAddress = BaseUri(sp.GetRequiredService<IOptions<TwitchOptions>>().Value.HelixBaseUrl))
            .WithTwitchResilience();
        services.AddSingleton<AppTokenProvider>();
        services.AddSingleton<EventSubApi>();
        services.AddHostedService<AppTokenValidation>();
    }

    private static Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, EventSubWebhook webhook, CancellationToken cancellationToken) =>
        webhook.ReceiveAsync(request, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> ReceiveBenchmarkBaselineAsync(
        HttpRequest request, EventSubWebhook webhook, CancellationToken cancellationToken) =>
        webhook.ReceiveBenchmarkBaselineAsync(request, cancellationToken);

    // Refilled every 100 ms; the bucket holds one second's worth, so a burst up to the per-second number passes.
    private static TokenBucketRateLimiterOptions TokenBucket(int permitsPerSecond) => new()
    {
        TokenLimit = permitsPerSecond,
        TokensPerPeriod = Math.Max(permitsPerSecond / 10, 1),
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>
    /// The standard resilience handler, as ServiceDefaults gives every client, except that its retry leaves 429 alone:
    /// a 429 must wait until Ratelimit-Reset, which can lie beyond the standard pipeline's total timeout, so
    /// <see cref="HelixClient"/> waits for it itself. 5xx and network errors keep the standard backoff.
    /// </summary>
    private static IHttpClientBuilder WithTwitchResilience(this IHttpClientBuilder client)
    {
        // Replacing the default handler for one client is what RemoveAllResilienceHandlers exists for (still marked experimental).
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler(options => options.Retry.ShouldHandle = args => ValueTask.FromResult(
            HttpClientResiliencePredicates.IsTransient(args.Outcome) && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests));

        // Held by singletons: no handler rotation; the pooled connection lifetime picks up DNS changes instead.
        return client.UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }

    /// <summary>A base address that keeps its path (<c>…/helix</c>) when relative paths are appended.</summary>
    private static Uri BaseUri(string url) => new(url.EndsWith('/') ? url : url + "/");
}
