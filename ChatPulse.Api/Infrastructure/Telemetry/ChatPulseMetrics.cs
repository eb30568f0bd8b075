using System.Diagnostics.Metrics;

namespace ChatPulse.Api.Infrastructure.Telemetry;

/// <summary>
/// Every ChatPulse-specific instrument, on one meter. Prometheus names follow from the OpenTelemetry exporter:
/// dots become underscores, counters gain <c>_total</c>, units become suffixes
/// (e.g. <c>websocket.connections.current</c> → <c>websocket_connections_current</c>).
/// </summary>
public sealed class ChatPulseMetrics : IDisposable
{
    public const string MeterName = "ChatPulse";

    private readonly Meter _meter;
    private long _webSocketConnections;

    public ChatPulseMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);

        VotesProcessed = _meter.CreateCounter<long>("chatpulse.votes.processed", description: "Chat messages processed as votes, by outcome (applied, debounced, duplicate, no_match, no_viewers, error) and source (chat; test: the dashboard's test votes).");
        VoteDuration = _meter.CreateHistogram<double>("chatpulse.vote.duration", unit: "s", description: "Time to process one chat message as a vote.");
        WebhookDeliveries = _meter.CreateCounter<long>("chatpulse.webhook.deliveries", description: "EventSub webhook deliveries, by message type, subscription type and HTTP status.");
        FramesSent = _meter.CreateCounter<long>("chatpulse.overlay.frames.sent", description: "Overlay frames written to sockets.");
        FramesDropped = _meter.CreateCounter<long>("chatpulse.overlay.frames.dropped", description: "Overlay frames dropped because a newer state replaced them or the socket was too slow.");
        CacheLookups = _meter.CreateCounter<long>("chatpulse.cache.lookups", description: "Configuration cache lookups, by result (hit: no query of its own, miss: one Postgres query, stale: Postgres failed and the last known configuration was served).");

        // Overlay admission (page and socket): refusals by reason, and where overlay id lookups were answered from.
        OverlayRefusals = _meter.CreateCounter<long>("chatpulse.overlay.refusals", description: "Overlay page requests and socket upgrades refused, by target (page, socket) and reason (rate_limited, client_cap, overlay_cap, replica_full, shutting_down, database_unavailable).");
        OverlayLookups = _meter.CreateCounter<long>("chatpulse.overlay.lookups", description: "Overlay id lookups, by source (database, remembered_unknown, remembered_known).");

        // The EventSub shard's state as each set-up round found it (alert: the shard not enabled).
        ShardChecks = _meter.CreateCounter<long>("chatpulse.eventsub.shard.checks", description: "EventSub set-up rounds, by what they found the webhook shard to be (enabled, not_enabled).");

        _meter.CreateObservableGauge("websocket.connections.current", () => Interlocked.Read(ref _webSocketConnections),
            description: "Overlay WebSocket connections open on this replica.");

        // The vote buffer that rides out a Redis outage (Votes/VoteBuffer.cs).
        VotesBuffered = _meter.CreateCounter<long>("chatpulse.votes.buffered", description: "Votes kept in this replica's buffer because Redis did not take them in time.");
        VotesReplayed = _meter.CreateCounter<long>("chatpulse.votes.replayed", description: "Buffered votes sent to Redis again, by the outcome there.");
        VotesDropped = _meter.CreateCounter<long>("chatpulse.votes.dropped", description: "Votes lost from the buffer, by reason (full, too_old, shutdown).");
        VoteBufferSize = _meter.CreateUpDownCounter<long>("chatpulse.votes.buffer.size", description: "Votes waiting in this replica's buffer.");

        // Polls (Polls/, docs/polls.md).
        PollsStarted = _meter.CreateCounter<long>("chatpulse.polls.started", description: "Polls started.");
        PollsEnded = _meter.CreateCounter<long>("chatpulse.polls.ended", description: "Poll ends persisted to Postgres, by status (ended, cancelled) and by (timer, streamer, lost: Redis had lost the poll's state).");

        // The mood timeline's Postgres statements (Timeline/TimelineStore.cs), for statements/s and p99 under load.
        TimelineStatements = _meter.CreateCounter<long>("chatpulse.timeline.statements", description: "Postgres statements the mood timeline ran, by statement (insert_points, delete_expired, read) and result (ok, error).");
        // Seconds: without advice the SDK's default buckets (0, 5, 10, … 10000) put every statement in the first one.
        TimelineStatementDuration = _meter.CreateHistogram<double>("chatpulse.timeline.statement.duration", unit: "s", description: "Time one mood-timeline Postgres statement took, by statement.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        TimelinePoints = _meter.CreateCounter<long>("chatpulse.timeline.points", description: "Mood-timeline points inserted (one per active channel per interval).");
    }

    public Counter<long> VotesProcessed { get; }
    public Histogram<double> VoteDuration { get; }
    public Counter<long> WebhookDeliveries { get; }
    public Counter<long> FramesSent { get; }
    public Counter<long> FramesDropped { get; }
    public Counter<long> CacheLookups { get; }

    public Counter<long> OverlayRefusals { get; }
    public Counter<long> OverlayLookups { get; }
    public Counter<long> ShardChecks { get; }
    public Counter<long> VotesBuffered { get; }
    public Counter<long> VotesReplayed { get; }
    public Counter<long> VotesDropped { get; }
    public UpDownCounter<long> VoteBufferSize { get; }

    public Counter<long> PollsStarted { get; }
    public Counter<long> PollsEnded { get; }

    public Counter<long> TimelineStatements { get; }
    public Histogram<double> TimelineStatementDuration { get; }
    public Counter<long> TimelinePoints { get; }

    public long WebSocketConnections => Interlocked.Read(ref _webSocketConnections);

    public void WebSocketOpened() => Interlocked.Increment(ref _webSocketConnections);

    public void WebSocketClosed() => Interlocked.Decrement(ref _webSocketConnections);

    public void Dispose() => _meter.Dispose();
}
