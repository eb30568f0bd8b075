using System.Globalization;

namespace ChatPulse.Api.Timeline;

/// <summary>Stream ids in URLs (<c>?stream=</c>: the first point's Unix milliseconds) and a stream's summary from its points.</summary>
public static class TimelineStream
{
    public static bool TryParseId(string text, out DateTimeOffset start)
    {
        start = default;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        start = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    public static MoodStream Of(IReadOnlyList<MoodPoint> points) =>
        new(points[0].At, points[^1].At, points.Count, points.Sum(p => (long)p.Votes));

    /// <summary>"2 h 05 min", "12 min", "40 s".</summary>
    public static string FormatLength(TimeSpan length) => length switch
    {
        { TotalHours: >= 1 } => $"{(int)length.TotalHours} h {length.Minutes:00} min",
        { TotalMinutes: >= 1 } => $"{(int)length.TotalMinutes} min",
        _ => $"{(int)length.TotalSeconds} s",
    };
}
