namespace ChatPulse.Api.Platform;

/// <summary>
/// Audit entries (login, logout, configuration save, reset, URL rotation) under the logger category
/// <see cref="Category"/>, one structured entry each with <c>Action</c>, the streamer, and what changed.
/// Overlay ids are secrets and are never logged. The request's correlation id comes from the logging scope.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggerFactory)
{
    public const string Category = "ChatPulse.Audit";

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public void LoggedIn(Guid streamerId, string twitchUserId, string login, bool firstLogin) =>
        LogLogin(_logger, "login", streamerId, twitchUserId, login, firstLogin);

    /// <summary>A login that did not complete; <paramref name="cause"/> is the <c>/auth/error</c> code (denied, state, twitch, database).</summary>
    public void LoginFailed(string cause, string reason) => LogLoginFailed(_logger, "login_failed", cause, reason);

    public void LoggedOut(Guid streamerId, string twitchUserId) => LogStreamerAction(_logger, "logout", streamerId, twitchUserId);

    public void LoggedOutEverywhere(Guid streamerId, string twitchUserId, int sessionsEnded) =>
        LogLoggedOutEverywhere(_logger, "logout_everywhere", streamerId, twitchUserId, sessionsEnded);

    public void ConfigurationSaved(Guid streamerId, string twitchUserId, IReadOnlyCollection<string> changedFields, long version) =>
        LogConfigurationSaved(_logger, "configuration_saved", streamerId, twitchUserId, string.Join(",", changedFields), version);

    public void VotesReset(Guid streamerId, string twitchUserId) => LogStreamerAction(_logger, "votes_reset", streamerId, twitchUserId);

    public void OverlayRotated(Guid streamerId, string twitchUserId) => LogStreamerAction(_logger, "overlay_rotated", streamerId, twitchUserId);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "{Action}: streamer {StreamerId} (Twitch {TwitchUserId}, {Login}), first login {FirstLogin}")]
    private static partial void LogLogin(ILogger logger, string action, Guid streamerId, string twitchUserId, string login, bool firstLogin);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "{Action} ({Cause}): {Reason}")]
    private static partial void LogLoginFailed(ILogger logger, string action, string cause, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "{Action}: streamer {StreamerId} (Twitch {TwitchUserId})")]
    private static partial void LogStreamerAction(ILogger logger, string action, Guid streamerId, string twitchUserId);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information,
        Message = "{Action}: streamer {StreamerId} (Twitch {TwitchUserId}) ended {SessionsEnded} session(s)")]
    private static partial void LogLoggedOutEverywhere(ILogger logger, string action, Guid streamerId, string twitchUserId, int sessionsEnded);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information,
        Message = "{Action}: streamer {StreamerId} (Twitch {TwitchUserId}) changed [{ChangedFields}], now version {Version}")]
    private static partial void LogConfigurationSaved(ILogger logger, string action, Guid streamerId, string twitchUserId, string changedFields, long version);
}
