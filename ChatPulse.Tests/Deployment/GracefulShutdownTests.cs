using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// What the Deployment promises on SIGTERM, against a real API process under a steady stream of EventSub deliveries:
/// readiness turns 503 while the listener still serves, no delivery fails or loses its vote, the process exits
/// within SHUTDOWN_TIMEOUT.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class GracefulShutdownTests(AppHostFixture fixture)
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Tearing the process down after the host stopped (disposing clients, flushing logs).</summary>
    private static readonly TimeSpan Teardown = TimeSpan.FromSeconds(3);

    private const int Senders = 4;

    /// <summary>What the webhook answers a chat notification it took (Twitch counts any 2xx as delivered).</summary>
    private const string Delivered = "204";

    [Fact]
    public async Task Sigterm_turns_readiness_503_first_answers_and_counts_every_delivery_and_exits_within_the_timeout()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["SHUTDOWN_TIMEOUT"] = $"{ShutdownTimeout.TotalSeconds:0}s";
        await using var api = await ApiInstance.StartAsync(environment);

        // A streamer the replica finds in the shared Postgres, an overlay connected throughout, and a window that
        // never forgets: every delivery the replica accepts must stay one vote in Redis.
        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, fixture.Redis,
            OverlayConfiguration.Default with { MemorySeconds = null });
        channel.StayWatched();
        var deliveries = new ChatDeliveries(environment["WEBHOOK_SECRET"], channel.BroadcasterId);

        using var stop = new CancellationTokenSource(Waits.AppStart);
        var routed = new CancellationTokenSource(); // the balancer stops routing here once readiness fails
        var results = new ConcurrentQueue<string>();
        var traffic = Enumerable.Range(0, Senders).Select(_ => SendUntilUnroutedAsync(api.BaseAddress, deliveries, results, routed.Token)).ToArray();
        await Waits.Until(() => Task.FromResult(results.Count >= 50), Waits.Short, "deliveries to flow");

        var clock = Stopwatch.StartNew();
        api.Terminate();
        var probe = await ProbeUntilClosedAsync(api.BaseAddress, clock, routed, stop.Token);
        await Task.WhenAll(traffic);
        var exitCode = await api.WaitForExitAsync(ShutdownTimeout + Teardown);
        var exitedAfter = clock.Elapsed;

        Assert.NotNull(probe.NotReadyAt);
        Assert.Contains("shutdown", probe.Failing);
        Assert.True(probe.ClosedAt - probe.NotReadyAt >= TimeSpan.FromSeconds(1),
            $"the listener must keep serving after readiness failed (503 at {probe.NotReadyAt}, closed at {probe.ClosedAt})");
        var failures = results.Where(r => r != Delivered).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {results.Count} deliveries failed: {string.Join("; ", failures.Distinct().Take(5))}");
        Assert.Equal(((long)results.Count, 0L), await channel.TotalsAsync()); // a 204 is no proof: a vote Redis lost is answered 204 too
        Assert.Equal(0, exitCode);
        Assert.True(exitedAfter <= ShutdownTimeout + Teardown, $"exited {exitedAfter.TotalSeconds:0.0} s after SIGTERM");
    }

    /// <summary>
    /// The traffic a load balancer sends the replica: chat messages as Twitch delivers them to the webhook, signed with
    /// the replica's secret, each with its own ids and from a new chatter, so each one is a vote ("yes"): none is a
    /// duplicate, none falls in a chatter's one-second debounce.
    /// </summary>
    private sealed class ChatDeliveries(string secret, string broadcasterId)
    {
        private long _chatters = 1_000_000;

        public HttpRequestMessage Next()
        {
            var chatter = Interlocked.Increment(ref _chatters).ToString(CultureInfo.InvariantCulture);
            return EventSubMessages.Request(secret, EventSubHeaders.Notification, EventSubMessages.ChatMessage(broadcasterId, chatter, "yes"));
        }
    }

    private static async Task SendUntilUnroutedAsync(Uri baseAddress, ChatDeliveries deliveries, ConcurrentQueue<string> results, CancellationToken routed)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = Waits.Short };
        while (!routed.IsCancellationRequested)
        {
            try
            {
                using var request = deliveries.Next();
                using var response = await client.SendAsync(request, CancellationToken.None);
                results.Enqueue(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                results.Enqueue(e.Message);
            }
        }
    }

    private sealed record ProbeResult(TimeSpan? NotReadyAt, TimeSpan ClosedAt, string[] Failing);

    /// <summary>A readiness probe every 100 ms, as the kubelet or a load balancer does, until nothing answers.</summary>
    private static async Task<ProbeResult> ProbeUntilClosedAsync(Uri baseAddress, Stopwatch clock, CancellationTokenSource routed, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        TimeSpan? notReadyAt = null;
        var failing = Array.Empty<string>();
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready") { Headers = { ConnectionClose = true } };
                using var response = await client.SendAsync(request, stop);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && notReadyAt is null)
                {
                    notReadyAt = clock.Elapsed;
                    routed.Cancel();
                    using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
                    failing = report.RootElement.GetProperty("failing").EnumerateArray().Select(f => f.GetString()!).ToArray();
                }
            }
            catch (HttpRequestException)
            {
                routed.Cancel();
                return new ProbeResult(notReadyAt, clock.Elapsed, failing);
            }

            await Task.Delay(100, stop);
        }
    }
}
