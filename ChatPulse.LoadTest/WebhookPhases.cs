using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Votes;

namespace ChatPulse.LoadTest;

/// <summary>
/// The webhook benchmark's phases for the options given, each with its channels created: the baseline; one channel's
/// votes into a window emptied at each slice and into a full one; <c>--any-word</c>; each larger <c>--channels</c>
/// count; <c>--poll</c>'s running poll, new at each slice and with <c>--prefill</c> voters already in it.
/// </summary>
public static class WebhookPhases
{
    private const string Path = TwitchExtensions.WebhookPath;

    public static async Task<List<WebhookPhase>> CreateAsync(BenchmarkEnvironment environment, StreamerStore store, VoteWindow window,
        IServiceProvider pollEngine, HttpClient client, LoadOptions options, CancellationToken cancellationToken)
    {
        var secret = environment.WebhookSecret;
        var pair = options.Channels.Contains(1) ? await BenchmarkStreamers.CreateAsync(store, 2, cancellationToken) : [];
        var spreads = new List<SpreadChannels>();
        foreach (var count in options.Channels.Where(c => c > 1))
        {
            Console.WriteLine($"Creating {count:N0} streamers…");
            spreads.Add(await SpreadChannels.CreateAsync(store, secret, count, cancellationToken));
        }

        var baselineTo = new Notifications(secret, pair.Count > 0 ? pair[0].TwitchUserId : spreads[0].BroadcasterIds[0]);
        var phases = new List<WebhookPhase> { new("baseline", "baseline: HMAC only, 204", 0, () => baselineTo.Next(TwitchExtensions.BenchmarkBaselinePath)) };
        if (pair.Count > 0)
        {
            phases.Add(OneWindow("empty", "votes, window empty at each slice", pair[0].TwitchUserId, null, emptied: true));
            phases.Add(OneWindow("full", "votes, full window at start", pair[1].TwitchUserId, null, emptied: false, n => $"votes, {n:N0} in window at start"));
        }

        if (options.AnyWord)
        {
            // Against "empty": the same channel shape and reset, but every message is 200 characters scanned word by word.
            var anyWord = (await BenchmarkStreamers.CreateAsync(store, 1, cancellationToken, AnyWordMessages.Configuration))[0];
            phases.Add(OneWindow("any-word", $"any word of 10 a side, {AnyWordMessages.Length}-char messages", anyWord.TwitchUserId, AnyWordMessages.For, emptied: true));
        }

        phases.AddRange(spreads.Select(s => new WebhookPhase($"channels-{s.BroadcasterIds.Count}", $"votes over {s.BroadcasterIds.Count:N0} channels (Zipf)",
            s.BroadcasterIds.Count, () => s.Next(Path))
        {
            Watched = s.BroadcasterIds,
            Count = _ => s.CountedAsync(window, Now()),
        }));

        if (options.Poll)
        {
            phases.AddRange(await PollPhasesAsync(pollEngine, store, secret, client, cancellationToken));
        }

        return phases;

        // One channel's mood votes, counted in its window; "emptied": the window starts every slice empty.
        WebhookPhase OneWindow(string key, string title, string broadcasterId, Func<long, string>? text, bool emptied, Func<long, string>? prefilledTitle = null)
        {
            var votes = new Notifications(secret, broadcasterId, text);
            return new WebhookPhase(key, title, 1, () => votes.Next(Path))
            {
                Watched = [broadcasterId],
                Reset = emptied ? _ => window.ResetAsync(broadcasterId, Now()) : null,
                Count = async _ => (await window.ReadAsync(broadcasterId, OverlayConfiguration.MaxMemorySeconds, Now())).Total,
                PrefilledTitle = prefilledTitle,
            };
        }
    }

    // Against "empty": a poll new at each slice (no voters, as the window starts empty), and one with --prefill voters.
    private static async Task<WebhookPhase[]> PollPhasesAsync(IServiceProvider engine, StreamerStore store, string secret, HttpClient client,
        CancellationToken cancellationToken)
    {
        var fresh = await BenchmarkPoll.StartAsync(engine, store, secret, cancellationToken);
        var full = await BenchmarkPoll.StartAsync(engine, store, secret, cancellationToken);
        var options = BenchmarkPoll.OptionCount;
        return
        [
            new WebhookPhase("poll", $"poll of {options}, new poll at each slice", 1, () => fresh.Votes.Next(Path))
            {
                Watched = [fresh.BroadcasterId],
                Reset = async ct =>
                {
                    await fresh.RestartAsync(ct);
                    await fresh.WaitUntilCountingAsync(client, ct); // the probe votes land before the slice's count starts
                },
                Count = fresh.TotalAsync,
            },
            new WebhookPhase("poll-100k", $"poll of {options}, full poll at start", 1, () => full.Votes.Next(Path))
            {
                Watched = [full.BroadcasterId],
                Count = full.TotalAsync,
                PrefilledTitle = n => $"poll of {options}, {n:N0} voters at start",
            },
        ];
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
