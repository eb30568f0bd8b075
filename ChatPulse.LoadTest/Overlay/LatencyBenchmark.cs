using System.Diagnostics;
using System.Net;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Api.Votes;

namespace ChatPulse.LoadTest.Overlay;

/// <summary>
/// End to end: signed <c>channel.chat.message</c> votes sent to <c>POST /webhooks/eventsub</c> at a fixed
/// open-loop rate, spread over broadcasters whose overlays are connected, timed to the overlay frames that show
/// them. A broadcaster's window keeps every vote of the run (120 s), so its k-th vote after the warm-up is shown
/// by the first frame whose <c>totalVotes</c> reaches (votes counted after the warm-up) + k; when the API applies
/// a broadcaster's votes out of send order, that is the first frame showing k of them.
/// </summary>
public sealed class LatencyBenchmark(BenchmarkEnvironment environment, StreamerStore store, VoteWindow window, Figures figures)
{
    /// <summary>
    /// At the measured rate, before measuring: a fresh API compiles its hot path as it goes (tiered JIT), and 3 s
    /// left the first rate measuring that (p50 over a second at 1,000 msg/s, against 3 ms once warm).
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public async Task RunAsync(int rate, TimeSpan duration, int broadcasters, int socketsEach, CancellationToken cancellationToken)
    {
        Console.WriteLine($"overlay-latency: {rate:N0} msg/s to the webhook for {duration.TotalSeconds:0} s over {broadcasters} broadcasters x {socketsEach} sockets " +
                          $"({(double)rate / broadcasters:0.#} msg/s each; above 20 a channel's votes wait for its next frame, ≤ {OverlayProtocol.FrameInterval.TotalMilliseconds:0} ms)");
        var streamers = await BenchmarkStreamers.CreateAsync(store, broadcasters, cancellationToken);
        var frames = new Dictionary<OverlaySocket, List<(long Total, long At)>>();
        var sockets = new List<OverlaySocket>();
        for (var b = 0; b < broadcasters; b++)
        {
            for (var s = 0; s < socketsEach; s++)
            {
                var socket = await OverlaySocket.ConnectAsync(environment.ApiAddress, streamers[b].OverlayId, b,
                    (self, total, at) => frames[self].Add((total, at)), cancellationToken);
                frames[socket] = new List<(long, long)>(1024);
                sockets.Add(socket);
            }
        }

        using var stop = new CancellationTokenSource();
        var receiving = sockets.Select(s => s.RunAsync(stop.Token)).ToList();
        // The first frame follows the feed's first presence heartbeat, so from here on every vote counts.
        await Until(() => sockets.All(s => s.Frames > 0), "first frames", cancellationToken);

        // HTTP/1.1 as Twitch sends: one connection per request in flight, and open loop needs room for stalls.
        // One client for warm-up and run, so the run starts with the warm-up's connections and a JIT-compiled API.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseProxy = false })
        {
            BaseAddress = environment.ApiAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
        await new WebhookSender(client, environment.WebhookSecret, streamers, rate, WarmUp).RunAsync(cancellationToken);
        var before = await CountedAsync(streamers, cancellationToken);
        await Until(() => sockets.All(s => frames[s][^1].Total >= before[s.Broadcaster]), "the warm-up's last frames", cancellationToken);

        var cpuBefore = Stats.CpuSeconds(environment.Api.Id);
        var sender = new WebhookSender(client, environment.WebhookSecret, streamers, rate, duration);
        await sender.RunAsync(cancellationToken);
        var after = await CountedAsync(streamers, cancellationToken);
        var applied = after.Zip(before, (a, b) => a - b).ToArray();
        await Until(() => sockets.All(s => frames[s][^1].Total >= after[s.Broadcaster]), "the last votes' frames", cancellationToken);
        var cpu = Stats.CpuSeconds(environment.Api.Id) - cpuBefore;
        await stop.CancelAsync();
        await Task.WhenAll(receiving);
        await Task.WhenAll(sockets.Select(s => s.CloseAsync()));

        var endToEnd = new List<double>();
        foreach (var (socket, received) in frames)
        {
            var sentAt = sender.SentAt[socket.Broadcaster];
            var next = 0;
            var offset = before[socket.Broadcaster];
            // A warm-up request the client gave up on may still be counted during the run: never past what was sent.
            var shown = Math.Min(applied[socket.Broadcaster], sender.SentTo[socket.Broadcaster]);
            for (var k = 1; k <= shown; k++)
            {
                while (next < received.Count && received[next].Total < offset + k)
                {
                    next++;
                }

                if (next == received.Count)
                {
                    break;
                }

                endToEnd.Add(Stats.ToMilliseconds(received[next].At - sentAt[k]));
            }
        }

        var seconds = sender.Elapsed.TotalSeconds;
        var framesPerSocketSecond = frames.Values.Average(f => f.Count(frame => frame.At >= sender.StartedAt)) / seconds;
        var notShown = sender.Sent - applied.Sum();
        Console.WriteLine($"  sent {sender.Sent:N0} in {seconds:0.00} s ({sender.Sent / seconds:N0}/s), sender behind schedule at most {sender.MaxLagMs:0} ms; " +
                          $"answers 2xx {sender.Succeeded:N0}, other {sender.Failed:N0}; votes counted {applied.Sum():N0}{notShown switch
                          {
                              0 => "",
                              > 0 => $" ({notShown:N0} NOT counted)",
                              _ => $" ({-notShown:N0} more: warm-up votes the API answered late)",
                          }}");
        Console.WriteLine($"  API CPU {cpu / seconds * 100:0}% of one core; frames per socket per second: {framesPerSocketSecond:0.0}");
        Console.WriteLine($"  webhook answer (request sent -> 204):              {Stats.Summary(sender.AnswerMs)}");
        Console.WriteLine($"  end to end (request sent -> frame showing the vote): {Stats.Summary(endToEnd)}");
        var p99 = endToEnd.Count == 0 ? double.NaN : Stats.Percentile(endToEnd, 0.99);
        Console.WriteLine($"  end-to-end p99 {p99:0.0} ms   target ≤ 50 ms at 5,000 msg/s   {(p99 <= 50 ? "met" : "MISSED")}");
        figures.Append("overlayLatency", new System.Text.Json.Nodes.JsonObject
        {
            ["rate"] = rate,
            ["seconds"] = Figures.Number(seconds),
            ["broadcasters"] = broadcasters,
            ["socketsPerBroadcaster"] = socketsEach,
            ["sent"] = sender.Sent,
            ["succeeded"] = sender.Succeeded,
            ["failed"] = sender.Failed,
            ["counted"] = applied.Sum(),
            ["senderMaxLagMs"] = Figures.Number(sender.MaxLagMs),
            ["apiCpuPercentOfOneCore"] = Figures.Number(cpu / seconds * 100),
            ["framesPerSocketSecond"] = Figures.Number(framesPerSocketSecond),
            ["answerMs"] = Figures.Distribution(sender.AnswerMs),
            ["endToEndMs"] = Figures.Distribution(endToEnd),
            ["endToEndP99Met"] = p99 <= 50,
        });
    }

    private async Task<long[]> CountedAsync(IReadOnlyList<Streamer> streamers, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var counted = new long[streamers.Count];
        for (var b = 0; b < streamers.Count; b++)
        {
            counted[b] = (await window.ReadAsync(streamers[b].TwitchUserId, OverlayConfiguration.MaxMemorySeconds, now)).Total;
            cancellationToken.ThrowIfCancellationRequested();
        }

        return counted;
    }

    internal static async Task Until(Func<bool> condition, string what, CancellationToken cancellationToken, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"timed out after {seconds} s waiting for {what}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
