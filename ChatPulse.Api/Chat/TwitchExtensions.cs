using System.Net;
using ChatPulse.Api.Chat.EventSub;
using ChatPulse.Api.Chat.Twitch;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Streamers;
using Microsoft.Extensions.Http.Resilience;

namespace ChatPulse.Api.Chat;

public static class TwitchExtensions
{
    /// <summary>
    /// Twitch clients and EventSub plumbing: one typed HttpClient per Twitch API (OAuth, Helix) behind the
    /// standard resilience handler, the app token, the conduit and the bot's chat subscriptions.
    /// </summary>
    public static IHostApplicationBuilder AddChatPulseTwitch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<TwitchAuthClient>((services, http) =>
                http.BaseAddress = BaseUri(services.GetRequiredService<IOptions<TwitchOptions>>().Value.AuthBaseUrl))
            .WithTwitchResilience();
        builder.Services.AddHttpClient<HelixClient>((services, http) =>
                http.BaseAddress = BaseUri(services.GetRequiredService<IOptions<TwitchOptions>>().Value.HelixBaseUrl))
            .WithTwitchResilience();

        builder.Services.AddSingleton<AppTokenProvider>();
        builder.Services.AddSingleton<EventSubApi>();
        builder.Services.AddSingleton<ConduitManager>();
        builder.Services.AddSingleton<SubscriptionRecords>();
        builder.Services.AddSingleton<SubscriptionManager>();
        builder.Services.AddSingleton<SubscriptionReconciler>();
        builder.Services.AddSingleton<ReconcileTrigger>();
        builder.Services.AddSingleton<EventSubLock>();
        builder.Services.AddSingleton<IStreamerConnectedHandler, StreamerChatSubscriber>();
        builder.Services.AddHostedService<AppTokenValidation>();
        builder.Services.AddHostedService<EventSubMaintenance>();
        builder.Services.AddSingleton<QueuedRevocationHandler>();
        builder.Services.AddSingleton<IRevocationHandler>(sp => sp.GetRequiredService<QueuedRevocationHandler>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueuedRevocationHandler>());
        return builder;
    }

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
