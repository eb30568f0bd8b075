using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// What an overlay test does around the API under test, against the AppHost's own Postgres and Redis: create
/// streamers, publish sentiment snapshots as the vote engine does, and dashboard events as the dashboard does.
/// </summary>
internal sealed class OverlayScenario : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private OverlayScenario(NpgsqlDataSource dataSource, ConnectionMultiplexer redis)
    {
        _dataSource = dataSource;
        Redis = redis;
        Store = new StreamerStore(dataSource);
        Events = new StreamerEvents(redis, NullLogger<StreamerEvents>.Instance);
        Presence = new OverlayPresence(redis, TimeProvider.System);
    }

    public ConnectionMultiplexer Redis { get; }

    public StreamerStore Store { get; }

    public StreamerEvents Events { get; }

    public OverlayPresence Presence { get; }

    public static async Task<OverlayScenario> StartAsync(AppHostFixture fixture) =>
        new(NpgsqlDataSource.Create(fixture.DatabaseConnectionString), await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString));

    public async Task<Streamer> NewStreamerAsync()
    {
        var twitchId = Random.Shared.NextInt64(1_000_000, 9_999_999_999).ToString();
        var (streamer, _) = await Store.UpsertOnLoginAsync(twitchId, $"s{twitchId}", $"S{twitchId}", default);
        return streamer;
    }

    /// <summary>Publishes a snapshot on the broadcaster's sentiment channel, stamped now; returns the number of receivers.</summary>
    public Task<long> PublishAsync(Streamer streamer, long votesFor, long votesAgainst) =>
        PublishAsync(new SentimentSnapshot(streamer.TwitchUserId, votesFor, votesAgainst, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public Task<long> PublishAsync(SentimentSnapshot snapshot) =>
        Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(snapshot.BroadcasterId)), JsonSerializer.Serialize(snapshot));

    public Task<long> OverlaysConnectedAsync(Streamer streamer) => Presence.CountAsync(streamer.TwitchUserId, default);

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

internal static class OverlayStateExtensions
{
    public static long Long(this JsonElement state, string property) => state.GetProperty(property).GetInt64();

    public static string Text(this JsonElement state, string property) => state.GetProperty(property).GetString() ?? "";

    public static double Number(this JsonElement state, string property) => state.GetProperty(property).GetDouble();
}
