using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// What the dashboard's buttons do, each followed by the cross-replica event other features act on
/// (<see cref="StreamerEvents"/>) and an audit entry.
/// </summary>
public sealed class StreamerActions(StreamerStore store, ChannelDirectory directory, StreamerEvents events, AuditLog audit)
{
    /// <summary>Saves a valid configuration (version + 1), drops every replica's cached copy, audits the changed fields.</summary>
    public async Task<OverlayConfiguration> SaveAsync(Streamer streamer, OverlayConfiguration previous, OverlayConfiguration next,
        CancellationToken cancellationToken)
    {
        var saved = await store.SaveConfigurationAsync(streamer.Id, next, cancellationToken);
        directory.Invalidate(streamer.TwitchUserId);
        await events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), cancellationToken);
        audit.ConfigurationSaved(streamer.Id, streamer.TwitchUserId, ChangedFields(previous, saved), saved.Version);
        return saved;
    }

    /// <summary>A new overlay id; the old one stops resolving at once and its sockets are told to close.</summary>
    public async Task<Guid> RotateOverlayAsync(Streamer streamer, CancellationToken cancellationToken)
    {
        var overlayId = await store.RotateOverlayIdAsync(streamer.Id, cancellationToken);
        directory.Invalidate(streamer.TwitchUserId);
        await events.PublishAsync(new StreamerEvent(StreamerEventKind.OverlayRotated, streamer.TwitchUserId, streamer.OverlayId),
            cancellationToken);
        audit.OverlayRotated(streamer.Id, streamer.TwitchUserId);
        return overlayId;
    }

    /// <summary>"Reset to center": the votes feature empties the window when the event arrives.</summary>
    public async Task ResetVotesAsync(Streamer streamer, CancellationToken cancellationToken)
    {
        await events.PublishAsync(new StreamerEvent(StreamerEventKind.VotesReset, streamer.TwitchUserId), cancellationToken);
        audit.VotesReset(streamer.Id, streamer.TwitchUserId);
    }

    /// <summary>The names of the fields that differ (triggers compared as stored: trimmed).</summary>
    public static IReadOnlyList<string> ChangedFields(OverlayConfiguration before, OverlayConfiguration after)
    {
        var a = before.Normalized();
        var b = after.Normalized();
        var changed = new List<string>();
        Add(nameof(a.ForTriggers), !a.ForTriggers.Equals(b.ForTriggers));
        Add(nameof(a.ForLabel), a.ForLabel != b.ForLabel);
        Add(nameof(a.AgainstTriggers), !a.AgainstTriggers.Equals(b.AgainstTriggers));
        Add(nameof(a.AgainstLabel), a.AgainstLabel != b.AgainstLabel);
        Add(nameof(a.MemorySeconds), a.MemorySeconds != b.MemorySeconds);
        Add(nameof(a.DisplayMode), a.DisplayMode != b.DisplayMode);
        Add(nameof(a.Theme), a.Theme != b.Theme);
        Add(nameof(a.Style), a.Style != b.Style);
        Add(nameof(a.MatchMode), a.MatchMode != b.MatchMode);
        Add(nameof(a.ShowTriggers), a.ShowTriggers != b.ShowTriggers);
        return changed;

        void Add(string field, bool differs)
        {
            if (differs)
            {
                changed.Add(field);
            }
        }
    }
}
