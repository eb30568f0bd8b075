using ChatPulse.Api.Infrastructure.Settings;

namespace ChatPulse.Api.Overlay;

/// <summary>Why a socket got no slot.</summary>
internal enum SlotRefusal
{
    None,

    /// <summary>The replica holds MAX_WEBSOCKET_CONNECTIONS sockets: a 503, another replica may have room.</summary>
    ReplicaFull,

    /// <summary>The overlay id holds MAX_OVERLAY_SOCKETS_PER_ID sockets here: a 429 for that tenant.</summary>
    OverlayFull,

    /// <summary>The client address holds MAX_OVERLAY_SOCKETS_PER_CLIENT sockets here: a 429 for that client.</summary>
    ClientFull,
}

/// <summary>
/// This replica's socket slots, counted in all, per overlay id and per client address, so one tenant (an account
/// opening its own overlay id thousands of times, or one address opening many ids) cannot hold every slot.
/// </summary>
internal sealed class OverlaySlots(IOptions<AppOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, int> _perOverlay = [];
    private readonly Dictionary<string, int> _perClient = [];
    private int _total;

    public int MaxConnections => options.Value.MaxWebSocketConnections;

    public SlotRefusal TryReserve(Guid overlayId, string client)
    {
        var settings = options.Value;
        lock (_gate)
        {
            if (_total >= settings.MaxWebSocketConnections)
            {
                return SlotRefusal.ReplicaFull;
            }

            var forOverlay = _perOverlay.GetValueOrDefault(overlayId);
            if (forOverlay >= settings.MaxOverlaySocketsPerId)
            {
                return SlotRefusal.OverlayFull;
            }

            var forClient = _perClient.GetValueOrDefault(client);
            if (forClient >= settings.MaxOverlaySocketsPerClient)
            {
                return SlotRefusal.ClientFull;
            }

            _total++;
            _perOverlay[overlayId] = forOverlay + 1;
            _perClient[client] = forClient + 1;
            return SlotRefusal.None;
        }
    }

    /// <summary>Gives back a slot <see cref="TryReserve"/> granted; counts that reach zero are dropped.</summary>
    public void Release(Guid overlayId, string client)
    {
        lock (_gate)
        {
            _total--;
            Decrement(_perOverlay, overlayId);
            Decrement(_perClient, client);
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (counts.TryGetValue(key, out var count) && count > 1)
        {
            counts[key] = count - 1;
        }
        else
        {
            counts.Remove(key);
        }
    }
}
