using System.Security.Claims;

namespace ChatPulse.Api.Accounts;

/// <summary>The claims a session carries, and reading them back.</summary>
public static class StreamerClaims
{
    /// <summary>ChatPulse's streamer id (a GUID); the session is dropped when no streamer has it any more.</summary>
    public const string StreamerId = "chatpulse:streamer_id";

    /// <summary>The session's row in <c>streamer_sessions</c> (<see cref="SessionStore"/>); logout deletes it.</summary>
    public const string SessionId = "chatpulse:session_id";

    public const string TwitchUserId = "twitch:user_id";
    public const string Login = "twitch:login";
    public const string DisplayName = "twitch:display_name";

    /// <summary>The streamer id of a signed-in principal, or null.</summary>
    public static Guid? GetStreamerId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(StreamerId), out var id) ? id : null;

    /// <summary>The session id of a signed-in principal, or null (a cookie from before sessions were stored).</summary>
    public static Guid? GetSessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionId), out var id) ? id : null;
}
