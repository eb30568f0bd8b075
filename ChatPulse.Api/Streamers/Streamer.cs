namespace ChatPulse.Api.Streamers;

/// <summary>A Twitch account that logged in to ChatPulse.</summary>
/// <param name="Id">ChatPulse's own id.</param>
/// <param name="TwitchUserId">The broadcaster's Twitch user id; Redis keys and EventSub conditions use it.</param>
/// <param name="OverlayId">The secret in the overlay URL: a random (v4) UUID, 122 random bits.</param>
public sealed record Streamer(Guid Id, string TwitchUserId, string Login, string DisplayName, Guid OverlayId);

/// <summary>
/// Called after a streamer's first login, so ChatPulse can subscribe the bot to their chat. An interface so Accounts
/// need not know Twitch's EventSub (StreamerChatSubscriber), and for StreamerSignInTests' recording and failing handlers.
/// </summary>
public interface IStreamerConnectedHandler
{
    Task OnStreamerConnectedAsync(Streamer streamer, CancellationToken cancellationToken);
}
