using System.Collections.Concurrent;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Votes;

/// <summary>
/// The vote services wired by hand in the test process against the fixture's real Postgres and Redis, with the
/// test's clock and a recorder of this instance's metrics. <paramref name="redisDatabase"/> isolates cluster-wide
/// keys (the ticker lease) from the running API.
/// </summary>
public sealed class InProcessVotes : IAsyncDisposable
{
    private readonly TestMetrics _metrics = new();

    private InProcessVotes(ConnectionMultiplexer redis, NpgsqlDataSource dataSource, TimeProvider time)
    {
        Redis = redis;
        DataSource = dataSource;
        Time = time;
        Events = new StreamerEvents(redis, NullLogger<StreamerEvents>.Instance);
        Directory = ChannelDirectories.Create(new StreamerStore(dataSource), Metrics, Events);
        Window = new VoteWindow(redis);
        Expiring = new ExpiringVotes(redis);
        Buffer = new VoteBuffer(time, Metrics);
        Processor = new VoteProcessor(Directory, Window, Expiring, Buffer, Metrics, time, NullLogger<VoteProcessor>.Instance);
    }

    public ConnectionMultiplexer Redis { get; }
    public NpgsqlDataSource DataSource { get; }
    public TimeProvider Time { get; }
    public ChatPulseMetrics Metrics => _metrics.Metrics;
    public StreamerEvents Events { get; }
    public ChannelDirectory Directory { get; }
    public VoteWindow Window { get; }
    public ExpiringVotes Expiring { get; }
    public VoteBuffer Buffer { get; }
    public VoteProcessor Processor { get; }
    /// <summary>A fresh random replica id per instance, as each API process has.</summary>
    public ReplicaIdentity Replica { get; } = new();

    /// <summary>Every measurement: instrument name, value, tags as "key=value" strings.</summary>
    public ConcurrentQueue<(string Instrument, double Value, string[] Tags)> Measurements => _metrics.Measurements;

    public static async Task<InProcessVotes> CreateAsync(AppHostFixture fixture, TimeProvider time, int redisDatabase = 0,
        string? redisConnectionString = null)
    {
        var options = ConfigurationOptions.Parse(redisConnectionString ?? fixture.RedisConnectionString);
        options.DefaultDatabase = redisDatabase;
        options.AbortOnConnectFail = false;
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return new InProcessVotes(redis, NpgsqlDataSource.Create(fixture.DatabaseConnectionString), time);
    }

    public VoteTicker Ticker() => new(Redis, Window, Directory, Replica, Time, NullLogger<VoteTicker>.Instance);

    /// <inheritdoc cref="TestMetrics.Count"/>
    public int Count(string instrument, string tag) => _metrics.Count(instrument, tag);

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        await DataSource.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
