using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>Parses durations as docs/deployment-guide.md writes them: "30s", "168h", "1h30m", a plain number of seconds, or "00:00:30".</summary>
public static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var match = GoDuration().Match(text);
        if (match.Success)
        {
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unitStart = part.Value.IndexOfAny(['h', 'm', 's']);
                var number = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
                value += part.Value[unitStart..] switch
                {
                    "h" => TimeSpan.FromHours(number),
                    "m" => TimeSpan.FromMinutes(number),
                    "ms" => TimeSpan.FromMilliseconds(number),
                    _ => TimeSpan.FromSeconds(number),
                };
            }

            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(h|ms|m|s))+$")]
    private static partial Regex GoDuration();
}
