using System.Globalization;
using System.Text.Json;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>
/// A running poll with <see cref="OptionCount"/> options ("1".."6", first vote stands, open until ended) on one channel,
/// started through the poll engine's own <see cref="PollActions"/> as the dashboard's start does: the Postgres row, the
/// Redis state and the event that makes the API's channel cache load it. Its votes are the messages "1".."6", each from
/// a new chatter, so every one counts once; the count is the poll's total in Redis.
/// </summary>
public sealed class BenchmarkPoll
{
    public const int OptionCount = 6;

    private static readonly TimeSpan SeenWithin = TimeSpan.FromSeconds(30);

    private readonly PollActions _actions;
    private readonly PollState _state;
    private readonly Streamer _streamer;
    private readonly PollDefinition _definition;
    private Guid _pollId;

    private BenchmarkPoll(IServiceProvider engine, Streamer streamer, string secret, PollDefinition definition)
    {
        _actions = engine.GetRequiredService<PollActions>();
        _state = engine.GetRequiredService<PollState>();
        _streamer = streamer;
        _definition = definition;
        Votes = new Notifications(secret, streamer.TwitchUserId, chatter => (chatter % OptionCount + 1).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Votes for the options in turn, each from a new chatter with a new message id.</summary>
    public Notifications Votes { get; }

    public string BroadcasterId => _streamer.TwitchUserId;

    /// <summary>The poll engine's classes as the API registers them, over the benchmark's Postgres and Redis.</summary>
    public static ServiceProvider Engine(NpgsqlDataSource dataSource, IConnectionMultiplexer redis) => new ServiceCollection()
        .AddLogging()
        .AddMetrics()
        .AddSingleton(dataSource)
        .AddSingleton(redis)
        .AddSingleton(TimeProvider.System)
        .AddSingleton<ChatPulseMetrics>()
        .AddSingleton<StreamerEvents>()
        .AddSingleton<PollStore>()
        .AddSingleton<PollState>()
        .AddSingleton<PollActions>()
        .BuildServiceProvider();

    /// <summary>A new streamer (see <see cref="BenchmarkStreamers"/>) whose poll is running once this returns.</summary>
    public static async Task<BenchmarkPoll> StartAsync(IServiceProvider engine, StreamerStore store, string secret, CancellationToken cancellationToken)
    {
        var streamer = (await BenchmarkStreamers.CreateAsync(store, 1, cancellationToken))[0];
        // The body the dashboard sends, read and checked by the API's own request and rules: triggers default to "1".."6".
        var request = new StartPollRequest("Which one next?", [.. Enumerable.Range(1, OptionCount).Select(i => (PollOptionRequest?)new PollOptionRequest($"Option {i}", null))],
            null, PollRules.First, JsonDocument.Parse("15").RootElement);
        var errors = new Dictionary<string, string>();
        var definition = request.ToDefinition(errors);
        foreach (var (field, message) in PollRules.Validate(definition, await store.GetConfigurationAsync(streamer.Id, cancellationToken) ?? OverlayConfiguration.Default))
        {
            errors.TryAdd(field, message);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"The benchmark's poll is not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
        }

        var poll = new BenchmarkPoll(engine, streamer, secret, definition);
        await poll.StartPollAsync(cancellationToken);
        return poll;
    }

    /// <summary>Cancels the running poll and starts a new one with no voters: the poll's "window emptied".</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var (ended, _) = await _actions.EndAsync(_streamer, _pollId, PollRecord.Cancelled, cancellationToken);
        if (ended != PollActionResult.Done)
        {
            throw new InvalidOperationException($"Cancelling the benchmark's poll answered {ended}.");
        }

        await StartPollAsync(cancellationToken);
    }

    /// <summary>The running poll's total votes in Redis (the sum the overlay shows); 0 before its first vote.</summary>
    public async Task<long> TotalAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await _state.ReadAsync(BroadcasterId) is { } live && live.Id == _pollId ? live.Total : 0;
    }

    /// <summary>
    /// Sends votes through <paramref name="client"/> until one counts in the poll: the API loads a new poll with the
    /// channel once the event has dropped its cached one, and a vote before that is judged against the old poll.
    /// </summary>
    public async Task WaitUntilCountingAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SeenWithin;
        while (await TotalAsync(cancellationToken) == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The API did not count a vote for the new poll within {SeenWithin.TotalSeconds:0} s.");
            }

            using var request = Votes.Next(TwitchExtensions.WebhookPath);
            using var response = await client.SendAsync(request, cancellationToken);
            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task StartPollAsync(CancellationToken cancellationToken)
    {
        var (started, view) = await _actions.StartAsync(_streamer, _definition, cancellationToken);
        _pollId = started == PollActionResult.Done ? view!.Id : throw new InvalidOperationException($"Starting the benchmark's poll answered {started}.");
    }
}
