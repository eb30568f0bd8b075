namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>
/// Twitch user ids are numeric strings (<c>"141981764"</c>). A signed body whose broadcaster or chatter id is anything
/// else is refused before the id reaches Postgres, a Redis key or a log line.
/// </summary>
internal static class TwitchUserId
{
    /// <summary>Far above today's 9–10 digits, far below what would make a key or a log line large.</summary>
    public const int MaxLength = 20;

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>True when each id is a Twitch user id or absent (an event without one is ignored, not refused).</summary>
    public static bool AreValidOrAbsent(string? broadcasterId, string? chatterId) =>
        (string.IsNullOrEmpty(broadcasterId) || IsValid(broadcasterId)) && (string.IsNullOrEmpty(chatterId) || IsValid(chatterId));
}
