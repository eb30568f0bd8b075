using ChatPulse.Api.Streamers;

namespace ChatPulse.OverlayLoad;

internal static class Streamers
{
    /// <summary>Creates streamers as a first login does (random overlay ids, default configuration).</summary>
    public static async Task<IReadOnlyList<Streamer>> CreateAsync(StreamerStore store, int count, CancellationToken cancellationToken)
    {
        var streamers = new List<Streamer>(count);
        for (var i = 0; i < count; i++)
        {
            var twitchId = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
            streamers.Add((await store.UpsertOnLoginAsync(twitchId, $"load{twitchId}", $"Load {twitchId}", cancellationToken)).Streamer);
        }

        return streamers;
    }
}
