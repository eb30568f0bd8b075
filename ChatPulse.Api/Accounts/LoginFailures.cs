using System.Data.Common;

namespace ChatPulse.Api.Accounts;

/// <summary>Why a login did not complete: one name for the audit log's <c>Cause</c> and the <c>/auth/error</c> code.</summary>
public static class LoginFailures
{
    /// <summary>The streamer declined on Twitch.</summary>
    public const string Denied = "denied";

    /// <summary>The OAuth state or correlation cookie was missing, forged, replayed or from another browser.</summary>
    public const string State = "state";

    /// <summary>Twitch's token endpoint or Helix failed or did not answer.</summary>
    public const string Twitch = "twitch";

    /// <summary>ChatPulse's own database failed while storing the streamer or the session.</summary>
    public const string Database = "database";

    /// <summary>The cause of a failure the OAuth handler reports (an exception from the callback or its sign-in).</summary>
    public static string CauseOf(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return Database;
            }
        }

        // The framework's own checks fail with these words ("The oauth state was missing or invalid.", "Correlation failed.").
        var message = failure?.Message ?? "";
        return message.Contains("state", StringComparison.OrdinalIgnoreCase) || message.Contains("Correlation", StringComparison.OrdinalIgnoreCase)
            ? State
            : Twitch;
    }
}
