using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Overlay;
using Microsoft.Extensions.Options;

namespace ChatPulse.Tests.Overlay;

/// <summary>The socket caps: in all, per overlay id, per client address; a released slot is free again.</summary>
public sealed class OverlaySlotsTests
{
    private static readonly Guid OverlayA = Guid.NewGuid();
    private static readonly Guid OverlayB = Guid.NewGuid();

    [Fact]
    public void An_overlay_id_at_its_cap_is_refused_while_other_ids_and_clients_still_get_slots()
    {
        var slots = Slots(total: 100, perId: 2, perClient: 100);
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.1"));
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.2"));

        Assert.Equal(SlotRefusal.OverlayFull, slots.TryReserve(OverlayA, "198.51.100.3"));
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayB, "198.51.100.3"));
    }

    [Fact]
    public void A_client_at_its_cap_is_refused_whatever_the_overlay_id()
    {
        var slots = Slots(total: 100, perId: 100, perClient: 2);
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.1"));
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayB, "198.51.100.1"));

        Assert.Equal(SlotRefusal.ClientFull, slots.TryReserve(Guid.NewGuid(), "198.51.100.1"));
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.2"));
    }

    [Fact]
    public void A_full_replica_refuses_everyone_until_a_slot_is_released()
    {
        var slots = Slots(total: 2, perId: 100, perClient: 100);
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.1"));
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayB, "198.51.100.2"));
        Assert.Equal(SlotRefusal.ReplicaFull, slots.TryReserve(Guid.NewGuid(), "198.51.100.3"));

        slots.Release(OverlayA, "198.51.100.1");

        Assert.Equal(SlotRefusal.None, slots.TryReserve(Guid.NewGuid(), "198.51.100.3"));
    }

    [Fact]
    public void Released_slots_count_again_for_their_overlay_id_and_client()
    {
        var slots = Slots(total: 100, perId: 1, perClient: 1);
        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.1"));
        slots.Release(OverlayA, "198.51.100.1");

        Assert.Equal(SlotRefusal.None, slots.TryReserve(OverlayA, "198.51.100.1"));
        Assert.Equal(SlotRefusal.OverlayFull, slots.TryReserve(OverlayA, "198.51.100.2"));
    }

    private static OverlaySlots Slots(int total, int perId, int perClient) => new(Options.Create(new AppOptions
    {
        MaxWebSocketConnections = total,
        MaxOverlaySocketsPerId = perId,
        MaxOverlaySocketsPerClient = perClient,
    }));
}
