using ChatPulse.Api.Streamers;

namespace ChatPulse.LoadTest;

public static class BenchmarkStreamers
{
    /// <summary>
    /// Creates streamers as a first login does (random ids), with the longest finite window, so no vote of a
    /// run leaves it and a frame's <c>totalVotes</c> counts every vote applied so far. A few at a time, in order.
    /// </summary>
    public static async Task<IReadOnlyList<Streamer>> CreateAsync(StreamerStore store, int count, CancellationToken cancellationToken,
        OverlayConfiguration? configuration = null)
    {
        var streamers = new Streamer[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var twitchId = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
            var (streamer, _) = await store.UpsertOnLoginAsync(twitchId, $"load{twitchId}", $"Load {twitchId}", ct);
            await store.SaveConfigurationAsync(streamer.Id, (configuration ?? OverlayConfiguration.Default) with { MemorySeconds = OverlayConfiguration.MaxMemorySeconds }, ct);
            streamers[i] = streamer;
        });
        return streamers;
    }
}
