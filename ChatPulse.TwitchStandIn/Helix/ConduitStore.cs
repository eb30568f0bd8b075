namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>A shard's state; <see cref="Callback"/> and <see cref="Secret"/> are set once a webhook was assigned.</summary>
public sealed record Shard(string Id, string Status, string? Callback, string? Secret);

public sealed record Conduit(string Id, string ClientId, IReadOnlyList<Shard> Shards);

/// <summary>Conduits per app (at most five), each with its shards.</summary>
public sealed class ConduitStore
{
    public const int MaxPerClient = 5;

    private readonly Lock _lock = new();
    private readonly List<Conduit> _conduits = [];

    /// <summary>Null when the app already has <see cref="MaxPerClient"/> conduits.</summary>
    public Conduit? Create(string clientId, int shardCount)
    {
        lock (_lock)
        {
            if (_conduits.Count(c => c.ClientId == clientId) >= MaxPerClient)
            {
                return null;
            }

            var shards = Enumerable.Range(0, shardCount)
                .Select(i => new Shard(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "disabled", null, null))
                .ToArray();
            var conduit = new Conduit(Guid.NewGuid().ToString(), clientId, shards);
            _conduits.Add(conduit);
            return conduit;
        }
    }

    public IReadOnlyList<Conduit> List(string clientId)
    {
        lock (_lock)
        {
            return [.. _conduits.Where(c => c.ClientId == clientId)];
        }
    }

    public Conduit? Find(string clientId, string? id)
    {
        lock (_lock)
        {
            return _conduits.Find(c => c.ClientId == clientId && c.Id == id);
        }
    }

    public bool Delete(string clientId, string id)
    {
        lock (_lock)
        {
            return _conduits.RemoveAll(c => c.ClientId == clientId && c.Id == id) > 0;
        }
    }

    /// <summary>Replaces one shard; false when the conduit is gone.</summary>
    public bool Update(string conduitId, Shard shard)
    {
        lock (_lock)
        {
            var index = _conduits.FindIndex(c => c.Id == conduitId);
            if (index < 0)
            {
                return false;
            }

            var conduit = _conduits[index];
            _conduits[index] = conduit with { Shards = [.. conduit.Shards.Select(s => s.Id == shard.Id ? shard : s)] };
            return true;
        }
    }

    /// <summary>The shard that receives the conduit's next delivery: the first enabled one.</summary>
    public Shard? EnabledShard(string conduitId)
    {
        lock (_lock)
        {
            return _conduits.Find(c => c.Id == conduitId)?.Shards.FirstOrDefault(s => s.Status == "enabled");
        }
    }
}
