using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.LoadTest;

/// <summary>
/// Many streamers at moderate traffic: <c>N</c> channels, each a real streamer row, whose votes (each from a new
/// chatter) are drawn with Zipf popularity, s = 1: the k-th channel gets a share ∝ 1/k (the first about 1/ln N).
/// </summary>
public sealed class SpreadChannels
{
    private readonly Notifications[] _notifications;
    private readonly double[] _cumulative;

    private SpreadChannels(IReadOnlyList<Streamer> streamers, string secret)
    {
        BroadcasterIds = [.. streamers.Select(s => s.TwitchUserId)];
        _notifications = [.. BroadcasterIds.Select(id => new Notifications(secret, id))];
        _cumulative = Cumulative(streamers.Count);
    }

    public IReadOnlyList<string> BroadcasterIds { get; }

    /// <summary>The most popular channel's share of the votes.</summary>
    public double TopShare => _cumulative[0];

    public static async Task<SpreadChannels> CreateAsync(StreamerStore store, string secret, int count, CancellationToken cancellationToken) =>
        new(await BenchmarkStreamers.CreateAsync(store, count, cancellationToken), secret);

    /// <summary>The next vote, to a channel drawn by popularity.</summary>
    public HttpRequestMessage Next(string path) => _notifications[Pick(_cumulative, Random.Shared.NextDouble())].Next(path);

    /// <summary>The index of the channel whose share of [0, 1) holds <paramref name="u"/>.</summary>
    public static int Pick(double[] cumulative, double u)
    {
        var index = Array.BinarySearch(cumulative, u);
        return Math.Min(index >= 0 ? index + 1 : ~index, cumulative.Length - 1);
    }

    /// <summary>Running shares of channels 1..n under Zipf (s = 1), the last exactly 1.</summary>
    public static double[] Cumulative(int n)
    {
        var harmonic = Enumerable.Range(1, n).Sum(k => 1.0 / k);
        var cumulative = new double[n];
        var sum = 0.0;
        for (var k = 1; k <= n; k++)
        {
            sum += 1.0 / k / harmonic;
            cumulative[k - 1] = sum;
        }

        cumulative[^1] = 1.0;
        return cumulative;
    }

    /// <summary>Votes in all the channels' windows as of <paramref name="nowMs"/> (one script call each, pipelined).</summary>
    public async Task<long> CountedAsync(VoteWindow window, long nowMs) =>
        (await Task.WhenAll(BroadcasterIds.Select(id => window.ReadAsync(id, OverlayConfiguration.MaxMemorySeconds, nowMs)))).Sum(s => s.Total);
}
