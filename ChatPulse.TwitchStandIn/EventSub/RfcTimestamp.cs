using System.Globalization;

namespace ChatPulse.TwitchStandIn.EventSub;

/// <summary>
/// RFC 3339 UTC timestamps as Twitch writes them: the number of fraction digits varies (0–9), so a receiver that
/// assumes one fixed format breaks here as it would against Twitch.
/// </summary>
public static class RfcTimestamp
{
    private static int _next;

    /// <summary>Formats <paramref name="at"/> with <paramref name="digits"/> fraction digits (0 = none).</summary>
    public static string Format(DateTimeOffset at, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 9);
        var utc = at.UtcDateTime;
        var seconds = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (digits == 0)
        {
            return seconds + "Z";
        }

        // Ticks give 7 digits; Twitch's nanosecond forms get two more (always 0 here: .NET has no finer clock).
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture) + "00";
        return $"{seconds}.{fraction[..digits]}Z";
    }

    /// <summary>Formats with a digit count that changes from one call to the next (9, 7, 3, 0, 6, 1, …).</summary>
    public static string FormatVarying(DateTimeOffset at)
    {
        int[] cycle = [9, 7, 3, 0, 6, 1, 8, 2, 5, 4];
        return Format(at, cycle[(int)((uint)Interlocked.Increment(ref _next) % cycle.Length)]);
    }
}
