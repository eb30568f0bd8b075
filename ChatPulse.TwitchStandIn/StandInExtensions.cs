using System.Text.Json;
using ChatPulse.TwitchStandIn.EventSub;
using ChatPulse.TwitchStandIn.Helix;
using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn;

public static class StandInExtensions
{
    /// <summary>Twitch's snake_case JSON, nulls written (Twitch sends <c>"cheermote": null</c>).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>In-memory state (clients, users, tokens, conduits, subscriptions) and the EventSub sender.</summary>
    public static IHostApplicationBuilder AddStandIn(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOptions<StandInOptions>()
            .Configure<IConfiguration>(StandInOptions.Bind)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StandInOptions>, StandInOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<ClientRegistry>();
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<StateFile>();
        builder.Services.AddSingleton<ConduitStore>();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddSingleton<HelixTraffic>();
        builder.Services.AddSingleton<Chat.ChatDelivery>();

        // Its own HttpClient, outside the factory's default resilience handler: exactly one attempt per delivery,
        // so a test sees the callback's answer as Twitch would.
        builder.Services.AddSingleton(services => new WebhookSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(10) },
            services.GetRequiredService<ILogger<WebhookSender>>()));

        builder.Services.AddHostedService<Seeder>();
        return builder;
    }

    /// <summary>
    /// Restores the state file, then registers the configured app (replacing an earlier run's registration, whose
    /// secret may differ) and the bot account (which has authorized every registered app) unless it is known.
    /// </summary>
    private sealed class Seeder(IOptions<StandInOptions> options, StateFile state, ClientRegistry clients, UserDirectory users) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            state.LoadAndKeep();
            if (users.FindById(o.BotUserId) is null && users.FindByLogin(o.BotLogin) is null)
            {
                users.Create(o.BotLogin, displayName: null, id: o.BotUserId);
            }

            if (o.ClientId.Length > 0)
            {
                clients.Set(new ClientRegistration(o.ClientId, o.ClientSecret, o.RedirectUri, o.PageSize));
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
