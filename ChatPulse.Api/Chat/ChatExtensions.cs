using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatPulse.Api.Chat;

public static class ChatExtensions
{
    public const string WebhookPath = "/webhooks/eventsub";
    public const string BaselinePath = "/webhooks/eventsub-baseline";
    public const string WebhookRateLimitPolicy = "eventsub-webhook";

    private static readonly Dictionary<string, string?> QuietRequestLogging = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Http.Result"] = "Warning",
    };

    /// <summary>The EventSub webhook: verification, revocations (a logging handler unless one is registered), the per-IP limit.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ChatOptions>, ChatOptionsValidator>();
        builder.Services.TryAddSingleton<IRevocationHandler, LoggingRevocationHandler>();
        builder.Services.AddSingleton<RevocationInbox>();
        builder.Services.AddSingleton<EventSubWebhook>();

        // Deliveries arrive by the thousand per second: ASP.NET Core's two Information lines per request would cost
        // more than the vote itself. Requests stay observable through OpenTelemetry; configuration can override these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietRequestLogging });

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(WebhookRateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress ?? IPAddress.None,
                _ => TokenBucket(context.RequestServices.GetRequiredService<IOptions<ChatOptions>>().Value.WebhookPermitsPerSecond)));
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder app)
    {
        app.MapPost(WebhookPath, ReceiveAsync).RequireRateLimiting(WebhookRateLimitPolicy);
        if (app.ServiceProvider.GetRequiredService<IOptions<ChatOptions>>().Value.BaselineEndpoint)
        {
            app.MapPost(BaselinePath, ReceiveBaselineAsync).RequireRateLimiting(WebhookRateLimitPolicy);
        }

        return app;
    }

    private static Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, EventSubWebhook webhook, CancellationToken cancellationToken) =>
        webhook.ReceiveAsync(request, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> ReceiveBaselineAsync(
        HttpRequest request, EventSubWebhook webhook, CancellationToken cancellationToken) =>
        webhook.ReceiveBaselineAsync(request, cancellationToken);

    // Refilled every 100 ms; the bucket holds one second's worth, so a burst up to the per-second number passes.
    private static TokenBucketRateLimiterOptions TokenBucket(int permitsPerSecond) => new()
    {
        TokenLimit = permitsPerSecond,
        TokensPerPeriod = Math.Max(permitsPerSecond / 10, 1),
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
