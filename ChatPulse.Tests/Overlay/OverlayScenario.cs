using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// What an overlay test does around the API under test, with the AppHost's own Postgres and Redis (the fixture's
/// shared clients): create streamers, vote as chat does (signed EventSub deliveries to a replica's webhook), publish
/// sentiment snapshots as the vote engine does, and dashboard events as the dashboard does.
/// </summary>
internal sealed class OverlayScenario(AppHostFixture fixture)
{
    public IConnectionMultiplexer Redis => fixture.Redis;

    public StreamerStore Store { get; } = new(fixture.Database);

    public StreamerEvents Events { get; } = new(fixture.Redis, NullLogger<StreamerEvents>.Instance);

    public OverlayPresence Presence { get; } = new(fixture.Redis, TimeProvider.System);

    public async Task<Streamer> NewStreamerAsync()
    {
        var twitchId = Random.Shared.NextInt64(1_000_000, 9_999_999_999).ToString();
        var (streamer, _) = await Store.UpsertOnLoginAsync(twitchId, $"s{twitchId}", $"S{twitchId}", default);
        return streamer;
    }

    /// <summary>
    /// Viewers say the default triggers in the streamer's chat: "yes" <paramref name="votesFor"/> times and "no"
    /// <paramref name="votesAgainst"/> times, each a new chatter, delivered to <paramref name="api"/>'s webhook as
    /// Twitch signs them. Votes count only while an overlay is connected somewhere (presence).
    /// </summary>
    public Task VoteAsync(HttpClient api, Streamer streamer, int votesFor, int votesAgainst) =>
        SayAsync(api, streamer, [.. Enumerable.Repeat("yes", votesFor).Concat(Enumerable.Repeat("no", votesAgainst))]);

    /// <summary>Each of <paramref name="texts"/> said once in the streamer's chat by a new chatter (e.g. a poll's "1").</summary>
    public async Task SayAsync(HttpClient api, Streamer streamer, params string[] texts)
    {
        foreach (var text in texts)
        {
            var chatter = Random.Shared.NextInt64(100_000_000, 999_999_999).ToString();
            using var response = await api.SendAsync(EventSubMessages.Request(fixture.ApiEnvironment["WEBHOOK_SECRET"],
                EventSubHeaders.Notification, EventSubMessages.ChatMessage(streamer.TwitchUserId, chatter, text)));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    /// <summary>Publishes a snapshot on the broadcaster's sentiment channel, stamped now; returns the number of receivers.</summary>
    public Task<long> PublishAsync(Streamer streamer, long votesFor, long votesAgainst) =>
        PublishAsync(new SentimentSnapshot(streamer.TwitchUserId, votesFor, votesAgainst, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public Task<long> PublishAsync(SentimentSnapshot snapshot) =>
        Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(snapshot.BroadcasterId)), JsonSerializer.Serialize(snapshot));

    public Task<long> OverlaysConnectedAsync(Streamer streamer) => Presence.CountAsync(streamer.TwitchUserId, default);
}

internal static class OverlayStateExtensions
{
    public static long Long(this JsonElement state, string property) => state.GetProperty(property).GetInt64();

    public static string Text(this JsonElement state, string property) => state.GetProperty(property).GetString() ?? "";

    public static double Number(this JsonElement state, string property) => state.GetProperty(property).GetDouble();
}
