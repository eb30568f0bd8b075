using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ChatPulse.Api.Timeline;

/// <summary>
/// The geometry of a stream's chart, for <c>Pages/Shared/Components/Timeline/Default.cshtml</c> to draw as SVG: the
/// "for" share as a line (top = 100 % for), votes per second as an area below it, polls as bands. Long streams are
/// averaged down to <see cref="MaxDrawnPoints"/>; a pause of more than three intervals breaks the line.
/// </summary>
public sealed class TimelineChart
{
    public const int Width = 800;
    public const int Height = 230;
    public const int Left = 44;
    public const int Right = Width - 8;
    public const int RatioTop = 10;
    public const int RatioBottom = 150;
    public const int RateTop = 162;
    public const int RateBottom = 204;
    public const int MaxDrawnPoints = 600;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private TimelineChart(IReadOnlyList<MoodPoint> drawn, long startMs, long endMs, double maxRate)
    {
        Drawn = drawn;
        StartMs = startMs;
        EndMs = endMs;
        MaxRate = maxRate;
    }

    /// <summary>The points drawn (averaged when the stream has more than <see cref="MaxDrawnPoints"/>).</summary>
    public IReadOnlyList<MoodPoint> Drawn { get; }

    public long StartMs { get; }

    public long EndMs { get; }

    /// <summary>The votes per second at the top of the rate area.</summary>
    public double MaxRate { get; }

    /// <summary>The path of the "for" share (SVG <c>d</c>).</summary>
    public string RatioPath { get; private set; } = "";

    /// <summary>The closed area of votes per second (SVG <c>d</c>).</summary>
    public string RatePath { get; private set; } = "";

    /// <summary>Time labels along the bottom: x and text (UTC).</summary>
    public IReadOnlyList<(double X, string Text)> Ticks { get; private set; } = [];

    /// <summary>The drawn points as JSON for the hover script: [Unix ms, for, against, votes, votes/s].</summary>
    public string PointsJson => JsonSerializer.Serialize(Drawn.Select(p =>
        new object[] { p.At.ToUnixTimeMilliseconds(), p.For, p.Against, p.Votes, Math.Round(p.VotesPerSecond, 3) }));

    public static TimelineChart Build(IReadOnlyList<MoodPoint> points, TimeSpan interval)
    {
        var drawn = Downsample(points);
        var startMs = drawn[0].At.ToUnixTimeMilliseconds();
        var endMs = Math.Max(drawn[^1].At.ToUnixTimeMilliseconds(), startMs + (long)interval.TotalMilliseconds);
        var chart = new TimelineChart(drawn, startMs, endMs, Math.Max(1, drawn.Max(p => p.VotesPerSecond)));
        chart.Draw((long)interval.TotalMilliseconds * 3);
        return chart;
    }

    /// <summary>The x of a moment on the chart.</summary>
    public double X(DateTimeOffset at) =>
        Left + Math.Clamp((double)(at.ToUnixTimeMilliseconds() - StartMs) / (EndMs - StartMs), 0, 1) * (Right - Left);

    public static string Format(double value) => Math.Round(value, 1).ToString("0.#", Invariant);

    private void Draw(long breakAfterMs)
    {
        var ratio = new StringBuilder();
        var rate = new StringBuilder();
        MoodPoint? previous = null;
        foreach (var point in Drawn)
        {
            var x = Format(X(point.At));
            var yRatio = Format(RatioBottom - point.Ratio * (RatioBottom - RatioTop));
            var yRate = Format(RateBottom - Math.Min(1, point.VotesPerSecond / MaxRate) * (RateBottom - RateTop));
            var broken = previous is null || (point.At - previous.At).TotalMilliseconds > breakAfterMs;
            ratio.Append(broken ? $"M{x} {yRatio}" : $" L{x} {yRatio}");
            rate.Append(broken ? $"{(previous is null ? "" : $" L{Format(X(previous.At))} {RateBottom} ")}M{x} {RateBottom} L{x} {yRate}" : $" L{x} {yRate}");
            previous = point;
        }

        rate.Append($" L{Format(X(previous!.At))} {RateBottom} Z");
        RatioPath = ratio.ToString();
        RatePath = rate.ToString();
        Ticks = Enumerable.Range(0, 5)
            .Select(i => StartMs + (EndMs - StartMs) * i / 4)
            .Select(ms => (X(DateTimeOffset.FromUnixTimeMilliseconds(ms)), DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("HH:mm", Invariant)))
            .ToList();
    }

    private static List<MoodPoint> Downsample(IReadOnlyList<MoodPoint> points)
    {
        if (points.Count <= MaxDrawnPoints)
        {
            return [.. points];
        }

        var size = (int)Math.Ceiling(points.Count / (double)MaxDrawnPoints);
        return points.Chunk(size)
            .Select(c => new MoodPoint(c[^1].At, (long)Math.Round(c.Average(p => p.For)), (long)Math.Round(c.Average(p => p.Against)),
                c.Sum(p => p.Votes), c.Average(p => p.VotesPerSecond)))
            .ToList();
    }
}
