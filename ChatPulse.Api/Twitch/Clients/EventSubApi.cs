using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.Api.Twitch.Clients;

public sealed record Conduit(string Id, int ShardCount);

public sealed record ShardTransport(string? Method, string? Callback);

public sealed record Shard(string Id, string Status, ShardTransport? Transport);

public sealed record ShardError(string Id, string Message, string Code);

/// <summary>The 202 of a shard update: shards that took the change, and per-shard errors.</summary>
public sealed record ShardUpdate(IReadOnlyList<Shard> Data, IReadOnlyList<ShardError> Errors);

public sealed record SubscriptionTransport(string Method, string? ConduitId);

public sealed record EventSubSubscription(string Id, string Status, string Type, string Version,
    IReadOnlyDictionary<string, JsonElement> Condition, SubscriptionTransport Transport)
{
    public string? ConditionValue(string name) =>
        Condition.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Outcome of a subscribe call: <see cref="Created"/> on 202, else the status and Twitch's message.</summary>
public sealed record SubscribeResult(EventSubSubscription? Created, int Status, string Message);

/// <summary>The EventSub part of Helix ChatPulse uses: conduits, shards, subscriptions.</summary>
public sealed class EventSubApi(HelixClient helix)
{
    private sealed record DataList<T>(IReadOnlyList<T> Data);

    private sealed record Page(IReadOnlyList<EventSubSubscription> Data, PageCursor? Pagination);

    private sealed record PageCursor(string? Cursor);

    public async Task<IReadOnlyList<Conduit>> ListConduitsAsync(CancellationToken cancellationToken) =>
        (await ReadAsync<DataList<Conduit>>("list conduits", () => new(HttpMethod.Get, "eventsub/conduits"), cancellationToken)).Data;

    public async Task<Conduit> CreateConduitAsync(int shardCount, CancellationToken cancellationToken) =>
        (await ReadAsync<DataList<Conduit>>("create conduit", () => Json(HttpMethod.Post, "eventsub/conduits", new { shard_count = shardCount }), cancellationToken)).Data.Single();

    /// <summary>The conduit's shards; null when the conduit does not exist (any more).</summary>
    public async Task<IReadOnlyList<Shard>?> GetShardsAsync(string conduitId, CancellationToken cancellationToken)
    {
        using var response = await helix.SendAsync(() => new(HttpMethod.Get, $"eventsub/conduits/shards?conduit_id={Uri.EscapeDataString(conduitId)}"), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ReadAsync<DataList<Shard>>("get shards", response, cancellationToken)).Data;
    }

    /// <summary>Points one webhook shard at <paramref name="callback"/>; null when the conduit does not exist.</summary>
    public async Task<ShardUpdate?> UpdateShardAsync(string conduitId, string shardId, string callback, string secret, CancellationToken cancellationToken)
    {
        using var response = await helix.SendAsync(() => Json(HttpMethod.Patch, "eventsub/conduits/shards", new
        {
            conduit_id = conduitId,
            shards = new[] { new { id = shardId, transport = new { method = "webhook", callback, secret } } },
        }), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<ShardUpdate>("update shard", response, cancellationToken);
    }

    public async Task<SubscribeResult> SubscribeChatAsync(string broadcasterUserId, string botUserId, string conduitId, CancellationToken cancellationToken)
    {
        using var response = await helix.SendAsync(() => Json(HttpMethod.Post, "eventsub/subscriptions", new
        {
            type = EventSubHeaders.ChatMessageType,
            version = "1",
            condition = new { broadcaster_user_id = broadcasterUserId, user_id = botUserId },
            transport = new { method = "conduit", conduit_id = conduitId },
        }), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var created = await ReadAsync<DataList<EventSubSubscription>>("subscribe", response, cancellationToken);
            return new SubscribeResult(created.Data.Single(), 202, "");
        }

        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            var error = await TwitchApiException.FromAsync("subscribe", response, cancellationToken);
            return new SubscribeResult(null, error.Status, error.TwitchMessage);
        }

        throw await TwitchApiException.FromAsync("subscribe", response, cancellationToken);
    }

    /// <summary>Every subscription matching one filter (<c>user_id</c>, <c>type</c>, …), following the <c>after</c> cursor.</summary>
    public async IAsyncEnumerable<EventSubSubscription> ListSubscriptionsAsync(string filter, string value, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var path = $"eventsub/subscriptions?{filter}={Uri.EscapeDataString(value)}" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}");
            var page = await ReadAsync<Page>("list subscriptions", () => new(HttpMethod.Get, path), cancellationToken);
            foreach (var subscription in page.Data)
            {
                yield return subscription;
            }

            cursor = string.IsNullOrEmpty(page.Pagination?.Cursor) ? null : page.Pagination.Cursor;
        }
        while (cursor is not null);
    }

    /// <summary>Deletes a subscription; false when it was already gone (404).</summary>
    public async Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await helix.SendAsync(() => new(HttpMethod.Delete, $"eventsub/subscriptions?id={Uri.EscapeDataString(id)}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        return response.IsSuccessStatusCode ? true : throw await TwitchApiException.FromAsync("unsubscribe", response, cancellationToken);
    }

    private async Task<T> ReadAsync<T>(string operation, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        using var response = await helix.SendAsync(build, cancellationToken);
        return await ReadAsync<T>(operation, response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await TwitchApiException.FromAsync(operation, response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<T>(TwitchJson.Options, cancellationToken)
            ?? throw new TwitchApiException(operation, (int)response.StatusCode, "empty body");
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
        new(method, path) { Content = JsonContent.Create(body, options: TwitchJson.Options) };
}
