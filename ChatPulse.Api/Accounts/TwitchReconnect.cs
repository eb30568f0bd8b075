using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.EventSub;

namespace ChatPulse.Api.Accounts;

/// <summary>
/// Whether a streamer must log in with Twitch again before ChatPulse can read their chat (their subscription was
/// revoked: <c>authorization_revoked</c> / <c>user_removed</c>). The dashboard shows "Reconnect Twitch" linking to
/// <c>/auth/login?reconnect=true</c>, and a login while it holds announces the streamer again, like a first login,
/// so chat ingestion subscribes anew.
/// </summary>
public interface IChatSubscriptionStatus
{
    Task<bool> NeedsReconnectAsync(Streamer streamer, CancellationToken cancellationToken);
}

/// <summary>Reads the flag chat ingestion keeps on the streamer (<c>streamers.needs_reconnect</c>, migration 0002).</summary>
internal sealed class ReconnectFlagStatus(SubscriptionRecords records) : IChatSubscriptionStatus
{
    public async Task<bool> NeedsReconnectAsync(Streamer streamer, CancellationToken cancellationToken) =>
        (await records.GetReconnectStateAsync(streamer.Id, cancellationToken))?.NeedsReconnect == true;
}
