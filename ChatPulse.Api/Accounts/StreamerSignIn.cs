using System.Security.Claims;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Accounts;

/// <summary>
/// What a successful Twitch login does in ChatPulse: create or update the streamer, announce it to every
/// <see cref="IStreamerConnectedHandler"/> on a first login, or on a login that reconnects a streamer whose chat
/// subscription was revoked (a failing handler is logged, the login still succeeds), start a stored session
/// (<see cref="SessionStore"/>), audit it, and put the streamer's and the session's ids on the cookie.
/// </summary>
public sealed partial class StreamerSignIn(
    StreamerStore store,
    SessionStore sessions,
    IEnumerable<IStreamerConnectedHandler> connectedHandlers,
    AuditLog audit,
    ILogger<StreamerSignIn> logger)
{
    public async Task<Streamer> SignInAsync(ClaimsIdentity identity, string twitchUserId, string login, string displayName,
        CancellationToken cancellationToken)
    {
        var (streamer, created) = await store.UpsertOnLoginAsync(twitchUserId, login, displayName, cancellationToken);
        if (created || (await store.GetReconnectStateAsync(streamer.Id, cancellationToken))?.NeedsReconnect == true)
        {
            await AnnounceAsync(streamer, cancellationToken);
        }

        var session = await sessions.StartAsync(streamer.Id, cancellationToken);
        identity.AddClaim(new Claim(StreamerClaims.StreamerId, streamer.Id.ToString()));
        identity.AddClaim(new Claim(StreamerClaims.SessionId, session.ToString()));
        identity.AddClaim(new Claim(StreamerClaims.TwitchUserId, streamer.TwitchUserId));
        identity.AddClaim(new Claim(StreamerClaims.Login, streamer.Login));
        identity.AddClaim(new Claim(StreamerClaims.DisplayName, streamer.DisplayName));
        identity.AddClaim(new Claim(ClaimTypes.Name, streamer.DisplayName));
        audit.LoggedIn(streamer.Id, streamer.TwitchUserId, streamer.Login, created);
        return streamer;
    }

    private async Task AnnounceAsync(Streamer streamer, CancellationToken cancellationToken)
    {
        foreach (var handler in connectedHandlers)
        {
            try
            {
                await handler.OnStreamerConnectedAsync(streamer, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(logger, e, handler.GetType().Name, streamer.TwitchUserId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Handler} failed for newly connected streamer {TwitchUserId}; the login goes on")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, string twitchUserId);
}
