using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Streamers;

/// <summary>The cached channel lookup against the fixture's Postgres, reached through a proxy this class can cut.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ChannelDirectoryTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const string Misses = "chatpulse.cache.lookups|result=miss";
    private const string Hits = "chatpulse.cache.lookups|result=hit";
    private const string Stale = "chatpulse.cache.lookups|result=stale";

    private readonly TestMetrics _metrics = new();
    private TcpProxy _proxy = null!;
    private NpgsqlDataSource _throughProxy = null!;
    private ConnectionMultiplexer _redis = null!;
    private ChannelDirectory _directory = null!;

    public async Task InitializeAsync()
    {
        _proxy = TcpProxy.ForPostgres(fixture.DatabaseConnectionString);
        _throughProxy = NpgsqlDataSource.Create(_proxy.RewritePostgres(fixture.DatabaseConnectionString) + ";Timeout=3");
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        var events = new StreamerEvents(_redis, NullLogger<StreamerEvents>.Instance);
        _directory = ChannelDirectories.Create(new StreamerStore(_throughProxy), _metrics.Metrics, events);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _throughProxy.DisposeAsync();
        await _redis.DisposeAsync();
        _metrics.Dispose();
    }

    [Fact]
    public async Task Concurrent_misses_of_one_channel_are_one_query()
    {
        var streamer = await NewStreamerAsync();
        using var start = new ManualResetEventSlim();

        var lookups = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _directory.GetAsync(streamer.TwitchUserId, default);
        })).ToArray();
        start.Set();
        var channels = await Task.WhenAll(lookups).WaitAsync(Waits.Short);

        Assert.All(channels, channel => Assert.Equal(streamer, channel?.Streamer));
        Assert.Equal((1, 49), (_metrics.Total(Misses), _metrics.Total(Hits)));
    }

    [Fact]
    public async Task While_postgres_is_unreachable_a_known_channel_is_served_from_its_last_known_settings()
    {
        var known = await NewStreamerAsync(OverlayConfiguration.Default with { ForTriggers = ["pog"] });
        var unknown = await NewStreamerAsync();
        Assert.Equal("pog", (await _directory.GetAsync(known.TwitchUserId, default))!.Configuration.ForTriggers.Single());

        _proxy.Cut();
        ChannelSettings? during = null;
        await Waits.Until(async () =>
        {
            during = await _directory.GetAsync(known.TwitchUserId, default);
            return _metrics.Total(Stale) > 0; // the cached copy expired, Postgres failed, the last known one was served
        }, Waits.Short, "the cache entry to expire and the last known settings to be served");
        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => _directory.GetAsync(unknown.TwitchUserId, default));

        Assert.Equal("pog", during!.Configuration.ForTriggers.Single());
        Assert.True(DatabaseFailures.IsUnavailable(failure), failure.ToString());
    }

    [Fact]
    public async Task A_save_event_drops_the_last_known_settings_so_an_outdated_configuration_is_not_served_in_an_outage()
    {
        var streamer = await NewStreamerAsync();
        await _directory.GetAsync(streamer.TwitchUserId, default);

        _directory.Invalidate(streamer.TwitchUserId); // what a ConfigurationChanged event does on every replica
        _proxy.Cut();

        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => _directory.GetAsync(streamer.TwitchUserId, default));
        Assert.True(DatabaseFailures.IsUnavailable(failure), failure.ToString());
    }

    [Fact]
    public async Task A_constraint_violation_is_not_an_outage()
    {
        var streamer = await NewStreamerAsync();
        await using var command = fixture.Database.CreateCommand("INSERT INTO streamers (id, twitch_user_id, login, display_name, overlay_id) VALUES ($1, $2, 'x', 'x', $3)");
        command.Parameters.AddWithValue(Guid.NewGuid());
        command.Parameters.AddWithValue(streamer.TwitchUserId); // taken
        command.Parameters.AddWithValue(Guid.NewGuid());

        var violation = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.False(DatabaseFailures.IsUnavailable(violation));
    }

    private async Task<Streamer> NewStreamerAsync(OverlayConfiguration? configuration = null)
    {
        var store = new StreamerStore(fixture.Database);
        var id = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
        var (streamer, _) = await store.UpsertOnLoginAsync(id, $"d{id}", "D", default);
        if (configuration is not null)
        {
            await store.SaveConfigurationAsync(streamer.Id, configuration, default);
        }

        return streamer;
    }
}
