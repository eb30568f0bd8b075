namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>
/// RFC 3339's <c>date-time</c> (§5.6) and nothing looser: <c>2021-02-19T23:47:00.8091512Z</c>, any number of fraction
/// digits (Twitch sends up to 9, nanoseconds; digits past .NET's 7 are dropped), <c>Z</c> or a <c>±hh:mm</c> offset.
/// RFC 1123 dates, a missing offset or a space for the <c>T</c> are not RFC 3339 (the webhook answers 400).
/// </summary>
internal static class Rfc3339Timestamp
{
    private const int TicksDigits = 7;

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        // "T" and "Z" may be lower case (§5.6, NOTE); nothing else may stand in for them.
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] is not ('T' or 't') || text[13] != ':' || text[16] != ':'
            || !Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long ticks = 0;
        if (text[i] == '.')
        {
            var start = ++i;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
            {
                if (i - start < TicksDigits)
                {
                    ticks = (ticks * 10) + (text[i] - '0');
                }
            }

            if (i == start)
            {
                return false;
            }

            for (var digits = i - start; digits < TicksDigits; digits++)
            {
                ticks *= 10;
            }
        }

        if (!TryOffset(text[i..], out var offset))
        {
            return false;
        }

        // A leap second (:60) is valid RFC 3339 but not a DateTime; Twitch does not send one, so it is refused too.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset).ToUniversalTime();
        return true;
    }

    // time-offset = "Z" / ("+" / "-") time-hour ":" time-minute
    private static bool TryOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is ['Z' or 'z'])
        {
            return true;
        }

        if (text.Length != 6 || text[0] is not ('+' or '-') || text[3] != ':'
            || !Digits(text, 1, 2, out var hours) || !Digits(text, 4, 2, out var minutes) || minutes > 59 || hours > 14
            || (hours == 14 && minutes > 0))
        {
            return false; // DateTimeOffset holds ±14:00 at most; no real zone is further out
        }

        offset = new TimeSpan(hours, minutes, 0) * (text[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        foreach (var c in text.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
