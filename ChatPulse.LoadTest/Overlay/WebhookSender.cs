using System.Diagnostics;
using System.Net;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.LoadTest.Overlay;

/// <summary>
/// Sends votes open loop: request i is due at start + i / rate whatever the earlier ones' answers, round robin
/// over the broadcasters. Records when each broadcaster's k-th vote was handed to the HTTP client.
/// </summary>
internal sealed class WebhookSender(HttpClient client, string webhookSecret, IReadOnlyList<Streamer> streamers, int rate, TimeSpan duration)
{
    private readonly Notifications[] _notifications = [.. streamers.Select(s => new Notifications(webhookSecret, s.TwitchUserId))];
    private readonly List<double> _answers = [];
    private long _succeeded;
    private long _failed;

    /// <summary>[broadcaster][k]: Stopwatch time the k-th vote (1-based) was sent.</summary>
    public long[][] SentAt { get; } = [.. streamers.Select(_ => new long[(int)(rate * duration.TotalSeconds / streamers.Count) + 2])];

    /// <summary>[broadcaster]: votes sent to it.</summary>
    public int[] SentTo { get; } = new int[streamers.Count];

    public long StartedAt { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public long Sent { get; private set; }

    public long Succeeded => _succeeded;

    public long Failed => _failed;

    public double MaxLagMs { get; private set; }

    public List<double> AnswerMs => _answers;

    /// <summary>Every request: its broadcaster, when it was sent (Stopwatch time), how long until its answer or failure, and whether it was a 2xx.</summary>
    public List<(int Broadcaster, long SentAt, double Ms, bool Ok)> Timeline { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sequence = SentTo;
        var total = (long)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>((int)total);
        StartedAt = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        while (Sent < total)
        {
            var now = clock.Elapsed.TotalSeconds;
            MaxLagMs = Math.Max(MaxLagMs, (now - (double)Sent / rate) * 1000);
            var due = Math.Min(total, (long)(now * rate));
            for (; Sent < due; Sent++)
            {
                var b = (int)(Sent % streamers.Count);
                inFlight.Add(SendAsync(b, ++sequence[b], cancellationToken));
            }

            await Task.Delay(1, cancellationToken);
        }

        Elapsed = clock.Elapsed;
        await Task.WhenAll(inFlight);
    }

    private async Task SendAsync(int broadcaster, int k, CancellationToken cancellationToken)
    {
        using var request = _notifications[broadcaster].Next(TwitchExtensions.WebhookPath);
        var sent = SentAt[broadcaster][k] = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var answered = Stats.ToMilliseconds(Stopwatch.GetTimestamp() - sent);
            var ok = response.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous;
            lock (_answers)
            {
                _answers.Add(answered);
                Timeline.Add((broadcaster, sent, answered, ok));
            }

            Interlocked.Increment(ref ok ? ref _succeeded : ref _failed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            lock (_answers)
            {
                Timeline.Add((broadcaster, sent, Stats.ToMilliseconds(Stopwatch.GetTimestamp() - sent), false));
            }
        }
    }
}
