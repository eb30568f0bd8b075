using System.Collections.Concurrent;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Timeline;
using ChatPulse.Api.Votes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Support;

/// <summary>
/// The vote path's services as the API registers them (<c>AddChatPulseData</c>, <c>AddStreamers</c>,
/// <c>AddVotes</c> on <see cref="ApiServices"/>, not started) against the fixture's real Postgres and Redis, with the
/// test's clock and a recorder of this instance's metrics. The Redis database number isolates cluster-wide keys
/// (the ticker lease) from the running API.
/// </summary>
public sealed class InProcessVotes : IAsyncDisposable
{
    private readonly TestMetrics _metrics;
    private readonly ServiceProvider _services;

    private InProcessVotes(ServiceProvider services, TestMetrics metrics)
    {
        _services = services;
        _metrics = metrics;
        Redis = (ConnectionMultiplexer)services.GetRequiredService<IConnectionMultiplexer>();
    }

    public ConnectionMultiplexer Redis { get; }
    public NpgsqlDataSource DataSource => _services.GetRequiredService<NpgsqlDataSource>();
    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();
    public ChatPulseMetrics Metrics => _metrics.Metrics;
    public StreamerEvents Events => _services.GetRequiredService<StreamerEvents>();
    public ChannelDirectory Directory => _services.GetRequiredService<ChannelDirectory>();
    public VoteWindow Window => _services.GetRequiredService<VoteWindow>();
    public ExpiringVotes Expiring => _services.GetRequiredService<ExpiringVotes>();
    public VoteBuffer Buffer => _services.GetRequiredService<VoteBuffer>();
    public VoteProcessor Processor => _services.GetRequiredService<VoteProcessor>();
    /// <summary>A fresh random replica id per instance, as each API process has.</summary>
    public ReplicaIdentity Replica => _services.GetRequiredService<ReplicaIdentity>();
    /// <summary>Any other registered service (e.g. the polls' <c>PollActions</c>).</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Every measurement: instrument name, value, tags as "key=value" strings.</summary>
    public ConcurrentQueue<(string Instrument, double Value, string[] Tags)> Measurements => _metrics.Measurements;

    /// <param name="redisDatabase">The Redis database the services use.</param>
    /// <param name="redisConnectionString">Another Redis than the fixture's (e.g. one that does not answer).</param>
    /// <param name="databaseConnectionString">Another way to the fixture's Postgres (e.g. through a <see cref="TcpProxy"/>).</param>
    public static Task<InProcessVotes> CreateAsync(AppHostFixture fixture, TimeProvider time, int redisDatabase = 0,
        string? redisConnectionString = null, string? databaseConnectionString = null)
    {
        var redis = ConfigurationOptions.Parse(redisConnectionString ?? fixture.RedisConnectionString);
        redis.DefaultDatabase = redisDatabase;
        var settings = ApiServices.FixtureSettings(fixture);
        settings["ConnectionStrings:redis"] = redis.ToString(includePassword: true);
        if (databaseConnectionString is not null)
        {
            settings["ConnectionStrings:chatpulsedb"] = databaseConnectionString;
        }

        var builder = ApiServices.Builder(settings);
        builder.AddChatPulseData();
        builder.AddStreamers();
        builder.AddVotes();
        builder.AddPolls();
        builder.AddTimeline(); // the vote path counts mood votes for the timeline
        var metrics = new TestMetrics();
        builder.Services.AddSingleton(time).AddSingleton(metrics.Metrics);
        // Resolving the multiplexer connects, as the API's first use of it does.
        var votes = new InProcessVotes(builder.Services.BuildServiceProvider(), metrics);
        return Task.FromResult(votes);
    }

    public VoteTicker Ticker() => new(Redis, Window, Directory, Replica, Time, NullLogger<VoteTicker>.Instance);

    /// <inheritdoc cref="TestMetrics.Count"/>
    public int Count(string instrument, string tag) => _metrics.Count(instrument, tag);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _metrics.Dispose();
    }
}
