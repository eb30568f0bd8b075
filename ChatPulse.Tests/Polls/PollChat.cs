using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Twitch;
using Npgsql;
using StackExchange.Redis;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Polls;

/// <summary>
/// A signed-in streamer's chat for poll tests: signed chat messages posted to a replica's webhook, an overlay kept
/// "connected" (presence heartbeats), and the poll messages the replicas publish on the broadcaster's channel.
/// </summary>
public sealed class PollChat : IAsyncDisposable
{
    private readonly string _secret;
    private readonly IConnectionMultiplexer _redis;
    private readonly ChannelMessageQueue _messages;
    private readonly VoteTestChannel _overlay;

    private PollChat(string secret, IConnectionMultiplexer redis, string broadcasterId, ChannelMessageQueue messages, VoteTestChannel overlay)
    {
        _secret = secret;
        _redis = redis;
        BroadcasterId = broadcasterId;
        _messages = messages;
        _overlay = overlay;
    }

    public string BroadcasterId { get; }

    /// <param name="watched">False: no overlay is connected until <see cref="Watch"/>.</param>
    public static async Task<PollChat> OpenAsync(AppHostFixture fixture, string broadcasterId, bool watched = true)
    {
        var messages = await fixture.Redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(broadcasterId)));
        var chat = new PollChat(fixture.ApiEnvironment["WEBHOOK_SECRET"], fixture.Redis, broadcasterId, messages,
            await VoteTestChannel.WatchAsync(fixture.Redis, broadcasterId));
        if (watched)
        {
            await chat.WatchAsync();
        }

        return chat;
    }

    /// <summary>An overlay connects (and stays connected) for the broadcaster.</summary>
    public async Task WatchAsync()
    {
        _overlay.StayWatched();
        await Waits.Until(async () => await _redis.GetDatabase().SortedSetLengthAsync(RedisKeys.Presence(BroadcasterId)) > 0, Waits.Short, "the overlay's presence");
    }

    /// <summary>Posts one signed chat message to <paramref name="api"/>'s webhook; returns its message id.</summary>
    public async Task<string> SayAsync(HttpClient api, string chatterId, string text, string? messageId = null, string? deliveryId = null,
        string? sourceMessageId = null, string? sourceBroadcasterId = null)
    {
        messageId ??= Guid.NewGuid().ToString();
        var body = EventSubMessages.ChatMessage(BroadcasterId, chatterId, text, messageId, sourceMessageId, sourceBroadcasterId);
        using var response = await api.SendAsync(EventSubMessages.Request(_secret, Notification, body, messageId: deliveryId));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return messageId;
    }

    /// <summary>The next poll message (<c>poll</c> or <c>poll-counts</c>) that <paramref name="match"/>es; mood snapshots are skipped.</summary>
    public async Task<JsonElement> NextAsync(string kind, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Short);
        while (true)
        {
            var message = JsonDocument.Parse((string)(await _messages.ReadAsync(cts.Token)).Message!).RootElement.Clone();
            if (message.TryGetProperty("kind", out var k) && k.GetString() == kind && match(message))
            {
                return message;
            }
        }
    }

    /// <summary>The poll's votes per option as Redis holds them (read directly).</summary>
    public async Task<long[]> CountsAsync(int options)
    {
        var values = await _redis.GetDatabase().HashGetAsync(RedisKeys.Poll(BroadcasterId), [.. Enumerable.Range(1, options).Select(i => (RedisValue)$"c{i}")]);
        return [.. values.Select(v => (long?)v ?? 0)];
    }

    /// <summary>The poll's row as stored: status, counts, winners, votes per minute, and whether ended_at equals ends_at.</summary>
    public static async Task<(string Status, long[]? Counts, int[]? Winners, long[]? PerMinute, bool EndedOnTime)> RowAsync(NpgsqlDataSource database, string pollId)
    {
        await using var command = database.CreateCommand("SELECT status, counts, winners, votes_per_minute, ended_at = ends_at FROM polls WHERE id = $1");
        command.Parameters.AddWithValue(Guid.Parse(pollId));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"poll {pollId} is stored");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<long[]>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<int[]>(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<long[]>(3), !reader.IsDBNull(4) && reader.GetBoolean(4));
    }

    public async ValueTask DisposeAsync()
    {
        await _messages.UnsubscribeAsync();
        await _overlay.DisposeAsync();
    }
}
