using System.Security.Cryptography;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Clients;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Api.Twitch.Webhook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ChatPulse.Tests.Support;

/// <summary>
/// The API's real Twitch feature (<c>AddTwitch</c> with settings, data and streamers, as Program.cs
/// composes them) on <see cref="ApiServices"/>, started as a host in the test process, against the AppHost's Twitch
/// stand-in over HTTP as its own registered app, with a database of its own on the AppHost's Postgres and a
/// <see cref="WebhookListener"/> answering the shard's challenge.
/// </summary>
public sealed class TwitchPlumbingHost : IAsyncDisposable
{
    public const string BotUserId = "100000001";
    public const string WebhookSecret = "plumbing-webhook-secret-0123";

    private readonly IHost _host;

    private readonly OwnDatabase _database;

    private TwitchPlumbingHost(IHost host, StandInApp app, WebhookListener listener, OwnDatabase database)
    {
        _host = host;
        App = app;
        Listener = listener;
        _database = database;
    }

    public StandInApp App { get; }

    public WebhookListener Listener { get; }

    public string DatabaseConnectionString => _database.ConnectionString;

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <param name="maintenance">Run the EventSub maintenance loop (set-up and reconciliation at start and after).</param>
    /// <param name="validation">Run the hourly app-token validation loop.</param>
    /// <param name="seed">Runs before the host starts, with the app registration and the migrated database.</param>
    public static async Task<TwitchPlumbingHost> StartAsync(AppHostFixture fixture, TimeProvider? time = null, bool maintenance = false, bool validation = false,
        int? pageSize = null, Func<StandInApp, NpgsqlDataSource, Task>? seed = null)
    {
        var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress, pageSize);
        var listener = await WebhookListener.StartAsync();
        var database = new OwnDatabase(fixture);
        await database.MigrateAsync(CancellationToken.None);
        if (seed is not null)
        {
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            await seed(app, dataSource);
        }

        var standIn = fixture.TwitchStandInBaseAddress.ToString().TrimEnd('/');
        var builder = ApiServices.Builder(new Dictionary<string, string?>
        {
            ["APP_ENV"] = "test",
            ["TWITCH_CLIENT_ID"] = app.ClientId,
            ["TWITCH_CLIENT_SECRET"] = app.ClientSecret,
            ["TWITCH_REDIRECT_URI"] = app.RedirectUri,
            ["TWITCH_AUTH_BASE_URL"] = standIn,
            ["TWITCH_HELIX_BASE_URL"] = standIn + "/helix",
            ["WEBHOOK_CALLBACK_URL"] = listener.Callback.ToString(),
            ["WEBHOOK_SECRET"] = WebhookSecret,
            ["BOT_USER_ID"] = BotUserId,
            ["SESSION_SECRET"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["TOKEN_ENCRYPTION_KEY"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["ConnectionStrings:chatpulsedb"] = database.ConnectionString,
            ["ConnectionStrings:redis"] = fixture.RedisConnectionString,
        }, Environments.Development);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddServiceDefaults();
        builder.AddChatPulseTelemetry();
        builder.AddChatPulseData();
        builder.AddStreamers();
        builder.AddTwitch();
        var loops = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)
            && ((!maintenance && d.ImplementationType == typeof(EventSubMaintenance)) || (!validation && d.ImplementationType == typeof(AppTokenValidation)))).ToList();
        loops.ForEach(d => builder.Services.Remove(d));

        var host = builder.Build();
        using var cts = new CancellationTokenSource(Waits.AppStart);
        await host.StartAsync(cts.Token);
        await host.Services.GetRequiredService<MigrationState>().Completed.WaitAsync(cts.Token);
        return new TwitchPlumbingHost(host, app, listener, database);
    }

    /// <summary>A streamer known to both the stand-in (having granted channel:bot unless told otherwise) and the database.</summary>
    public async Task<Streamer> AddStreamerAsync(string prefix = "streamer", bool grant = true)
    {
        var login = StandInApp.UniqueLogin(prefix);
        var twitchId = await App.CreateUserAsync(login, grant);
        var (streamer, _) = await Get<StreamerStore>().UpsertOnLoginAsync(twitchId, login, login, CancellationToken.None);
        return streamer;
    }

    /// <summary>The bot's chat subscriptions for <paramref name="broadcasterId"/> as the stand-in lists them: (id, conduit).</summary>
    public async Task<List<(string Id, string ConduitId)>> ChatSubscriptionsOnTwitchAsync(string broadcasterId)
    {
        var found = new List<(string, string)>();
        await foreach (var s in Get<EventSubApi>().ListSubscriptionsAsync("user_id", broadcasterId, CancellationToken.None))
        {
            if (s.Type == EventSubHeaders.ChatMessageType && s.ConditionValue("broadcaster_user_id") == broadcasterId)
            {
                found.Add((s.Id, s.Transport.ConduitId!));
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(Waits.Short);
        await _host.StopAsync(cts.Token);
        _host.Dispose();
        await Listener.DisposeAsync();
        App.Dispose();
        await _database.DisposeAsync();
    }
}
