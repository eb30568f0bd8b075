using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// HOOK for the chat-ingestion (EventSub) feature: tells the dashboard that a streamer's chat subscription was revoked
/// (e.g. <c>authorization_revoked</c>), so it shows a "Reconnect Twitch" notice linking to
/// <c>/auth/login?reconnect=true</c>. Register your implementation with <c>AddSingleton&lt;IChatSubscriptionStatus, …&gt;</c>;
/// it replaces the default below, which knows nothing and never asks.
/// </summary>
public interface IChatSubscriptionStatus
{
    Task<bool> NeedsReconnectAsync(Streamer streamer, CancellationToken cancellationToken);
}

internal sealed class UnknownChatSubscriptionStatus : IChatSubscriptionStatus
{
    public Task<bool> NeedsReconnectAsync(Streamer streamer, CancellationToken cancellationToken) => Task.FromResult(false);
}
