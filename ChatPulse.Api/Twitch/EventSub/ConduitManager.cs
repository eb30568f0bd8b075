using System.Security.Cryptography;
using System.Text;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Twitch.Clients;
using StackExchange.Redis;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>The conduit exists (its id is <see cref="ConduitId"/>) but shard 0 could not be pointed at our webhook.</summary>
public sealed class ConduitSetupException(string conduitId, string message) : Exception(message)
{
    public string ConduitId { get; } = conduitId;
}

/// <summary>
/// The app's EventSub conduit: found (preferring one whose shard 0 already points at WEBHOOK_CALLBACK_URL) or
/// created, and shard 0 pointed at the webhook with WEBHOOK_SECRET. A conduit that vanished or has no shard 0 is
/// replaced by a new one. The conduit is never deleted on shutdown: the next start reuses it.
/// </summary>
public sealed class ConduitManager(EventSubApi api, IConnectionMultiplexer redis, IOptions<TwitchOptions> options, ILogger<ConduitManager> logger)
{
    public const string ShardId = "0";

    private volatile string? _conduitId;

    /// <summary>Forgets the conduit (Twitch deleted it); the next set-up finds or creates one.</summary>
    public void Forget() => _conduitId = null;

    /// <summary>The conduit to subscribe on, without creating one; null when the app has none yet.</summary>
    public async Task<string?> FindAsync(CancellationToken cancellationToken)
    {
        if (_conduitId is { } known)
        {
            return known;
        }

        var conduits = await api.ListConduitsAsync(cancellationToken);
        return _conduitId = (await PickAsync(conduits, cancellationToken))?.Id;
    }

    /// <summary>
    /// Finds or creates the conduit and points shard 0 at the webhook (skipped when Twitch shows it enabled on our
    /// callback and Redis records it verified with the current secret). Run under the set-up lock.
    /// </summary>
    /// <exception cref="ConduitSetupException">Shard 0 was refused, e.g. the webhook did not answer the challenge.</exception>
    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var twitch = options.Value;
        var conduit = await PickAsync(await api.ListConduitsAsync(cancellationToken), cancellationToken);
        var shards = conduit is null ? null : await api.GetShardsAsync(conduit.Id, cancellationToken);
        if (conduit is null || shards is null || shards.All(s => s.Id != ShardId))
        {
            if (conduit is not null)
            {
                logger.LogWarning("Conduit {ConduitId} cannot be configured (gone or without shard 0); creating a new one", conduit.Id);
            }

            conduit = await CreateAsync(cancellationToken);
            shards = [];
        }

        _conduitId = conduit.Id;
        var shard = shards.FirstOrDefault(s => s.Id == ShardId);
        if (shard is { Status: "enabled" } && shard.Transport?.Callback == twitch.WebhookCallbackUrl && await IsVerifiedAsync(conduit.Id))
        {
            return conduit.Id;
        }

        var update = await api.UpdateShardAsync(conduit.Id, ShardId, twitch.WebhookCallbackUrl, twitch.WebhookSecret, cancellationToken);
        if (update is null)
        {
            logger.LogWarning("Conduit {ConduitId} vanished while its shard was being set; creating a new one", conduit.Id);
            conduit = await CreateAsync(cancellationToken);
            _conduitId = conduit.Id;
            update = await api.UpdateShardAsync(conduit.Id, ShardId, twitch.WebhookCallbackUrl, twitch.WebhookSecret, cancellationToken)
                ?? throw new ConduitSetupException(conduit.Id, $"conduit {conduit.Id} vanished right after it was created");
        }

        if (update.Errors.FirstOrDefault(e => e.Id == ShardId) is { } error)
        {
            throw new ConduitSetupException(conduit.Id, $"Twitch refused shard {ShardId} of conduit {conduit.Id}: {error.Code}: {error.Message}");
        }

        await redis.GetDatabase().HashSetAsync(RedisKeys.EventSubConduit(twitch.ClientId),
        [
            new HashEntry("conduit_id", conduit.Id),
            new HashEntry("callback", twitch.WebhookCallbackUrl),
            new HashEntry("secret_sha256", SecretHash()),
        ]);
        logger.LogInformation("Conduit {ConduitId} shard {Shard} delivers to {Callback}", conduit.Id, ShardId, twitch.WebhookCallbackUrl);
        return conduit.Id;
    }

    private async Task<Conduit> CreateAsync(CancellationToken cancellationToken)
    {
        var conduit = await api.CreateConduitAsync(shardCount: 1, cancellationToken);
        logger.LogInformation("Created EventSub conduit {ConduitId}", conduit.Id);
        return conduit;
    }

    /// <summary>Ours if one has shard 0 on our callback; else the one recorded in Redis; else the first.</summary>
    private async Task<Conduit?> PickAsync(IReadOnlyList<Conduit> conduits, CancellationToken cancellationToken)
    {
        if (conduits.Count <= 1)
        {
            return conduits.FirstOrDefault();
        }

        foreach (var conduit in conduits)
        {
            var shards = await api.GetShardsAsync(conduit.Id, cancellationToken);
            if (shards?.Any(s => s.Id == ShardId && s.Transport?.Callback == options.Value.WebhookCallbackUrl) == true)
            {
                return conduit;
            }
        }

        var recorded = (string?)await redis.GetDatabase().HashGetAsync(RedisKeys.EventSubConduit(options.Value.ClientId), "conduit_id");
        return conduits.FirstOrDefault(c => c.Id == recorded) ?? conduits[0];
    }

    private async Task<bool> IsVerifiedAsync(string conduitId)
    {
        var values = await redis.GetDatabase().HashGetAsync(RedisKeys.EventSubConduit(options.Value.ClientId), ["conduit_id", "callback", "secret_sha256"]);
        return values[0] == conduitId && values[1] == options.Value.WebhookCallbackUrl && values[2] == SecretHash();
    }

    /// <summary>Only a hash of the secret goes to Redis: enough to notice a rotated secret.</summary>
    private string SecretHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.WebhookSecret)));
}
