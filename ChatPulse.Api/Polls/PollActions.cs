using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using StackExchange.Redis;

namespace ChatPulse.Api.Polls;

/// <summary>How a poll action went; <see cref="PollApi"/> turns it into a status code.</summary>
public enum PollActionResult
{
    Done,
    NotFound,
    Conflict,
    RedisUnavailable,

    /// <summary>Redis ended the poll but its result could not be stored yet: the <see cref="PollTicker"/> stores it.</summary>
    EndPending,
}

/// <summary>
/// Starting, ending, cancelling and showing polls, with nothing half-written: the Postgres row first (its partial
/// unique index settles two replicas racing), then Redis in one script; a failed Redis step removes the row again.
/// An end is decided by one Redis script (<see cref="PollScripts.End"/>), then persisted by <see cref="CompleteAsync"/>,
/// which the cluster's <see cref="PollTicker"/> retries until Postgres has the result.
/// </summary>
public sealed partial class PollActions(PollStore store, PollState state, StreamerEvents events, ChatPulseMetrics metrics,
    TimeProvider time, ILogger<PollActions> logger)
{
    /// <summary>A running row this old with no Redis state lost it (Redis restarted empty), not a start still in flight.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromSeconds(30);

    /// <summary>Starts <paramref name="poll"/> (validated and normalised by the caller); Conflict when one runs.</summary>
    public async Task<(PollActionResult Result, PollView? View)> StartAsync(Streamer streamer, PollDefinition poll, CancellationToken cancellationToken)
    {
        var record = await store.InsertAsync(streamer.Id, poll, time.GetUtcNow(), cancellationToken);
        try
        {
            if (record is null && await CancelOrphanAsync(streamer, cancellationToken))
            {
                record = await store.InsertAsync(streamer.Id, poll, time.GetUtcNow(), cancellationToken);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, e, "start", streamer.TwitchUserId);
            return (PollActionResult.RedisUnavailable, null);
        }

        if (record is null)
        {
            return (PollActionResult.Conflict, null);
        }

        var view = record.ToView(null);
        var broadcasterId = streamer.TwitchUserId;
        try
        {
            // On the ticker's list first: a start that dies after its script still gets its end.
            await state.MarkDueAsync(broadcasterId, record.Id, record.EndsAt?.ToUnixTimeMilliseconds());
            // A poll Redis says runs has no running row now (this row won the unique index): a lost start, replaced.
            var live = await state.ReadAsync(broadcasterId);
            Guid? stale = live is { State: PollRecord.Running } && live.Id != record.Id ? live.Id : null;
            if (!await state.StartAsync(broadcasterId, record, view, stale))
            {
                await store.DeleteAsync(record.Id, CancellationToken.None);
                return (PollActionResult.Conflict, null);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, e, "start", broadcasterId);
            await store.DeleteAsync(record.Id, CancellationToken.None); // nothing half-written
            await ForgetStartAsync(broadcasterId, record.Id);
            return (PollActionResult.RedisUnavailable, null);
        }

        metrics.PollsStarted.Add(1);
        await AnnounceAsync(broadcasterId, cancellationToken);
        return (PollActionResult.Done, view);
    }

    /// <summary>
    /// Ends (<see cref="PollRecord.Ended"/>) or cancels the streamer's poll <paramref name="id"/>. Exactly one caller
    /// across the cluster gets Done with the poll as ended; the others Conflict (with it when Postgres has the result).
    /// </summary>
    public async Task<(PollActionResult Result, PollRecord? Poll)> EndAsync(Streamer streamer, Guid id, string status, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(streamer.Id, id, cancellationToken) is not { } record)
        {
            return (PollActionResult.NotFound, null);
        }

        if (record.Status != PollRecord.Running)
        {
            return (PollActionResult.Conflict, record);
        }

        int decided;
        try
        {
            decided = await state.EndAsync(streamer.TwitchUserId, id, status, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, e, status, streamer.TwitchUserId);
            return (PollActionResult.RedisUnavailable, null);
        }

        if (decided == 2)
        {
            return (PollActionResult.Conflict, null); // another replica or click ended it; it completes the end
        }

        PollRecord? completed;
        try
        {
            completed = await CompleteAsync(streamer.TwitchUserId, record, "streamer", cancellationToken);
        }
        catch (Exception e) when (decided == 1 && (e is RedisException or TimeoutException || DatabaseFailures.IsUnavailable(e)))
        {
            LogCompleteFailed(logger, e, status, streamer.TwitchUserId); // the End script put it on the ticker's list
            return (PollActionResult.EndPending, null);
        }

        return decided == 1 && completed is { } done ? (PollActionResult.Done, done) : (PollActionResult.Conflict, null);
    }

    /// <summary>
    /// Persists the end Redis decided: the counts, winners and votes per minute into the row (once: the update needs
    /// it running), then the result on the overlay and the event. Redis holding no state of this poll (it lost its
    /// data) stores it as cancelled, without counts. Returns the poll as ended (null when it was still running). Idempotent.
    /// </summary>
    internal async Task<PollRecord?> CompleteAsync(string broadcasterId, PollRecord record, string by, CancellationToken cancellationToken)
    {
        var live = await state.ReadAsync(broadcasterId);
        if (live is { State: PollRecord.Running } && live.Id == record.Id)
        {
            return null; // not ended: nothing to complete
        }

        var lost = live is null || live.Id != record.Id;
        var status = lost ? PollRecord.Cancelled : live!.State;
        var counts = lost ? new long[record.Definition.Options.Count] : live!.Counts;
        var winners = lost || status == PollRecord.Cancelled ? [] : live!.Winners();
        var endedAt = lost ? time.GetUtcNow() : DateTimeOffset.FromUnixTimeMilliseconds(live!.EndedAt ?? time.GetUtcNow().ToUnixTimeMilliseconds());
        var perMinute = lost ? [] : live!.VotesPerMinute;
        var wrote = await store.FinishAsync(record.Id, status, endedAt, counts, winners, perMinute, cancellationToken);
        var ended = record with { Status = status, EndedAt = endedAt, Counts = counts, Winners = winners, VotesPerMinute = perMinute };
        if (wrote)
        {
            metrics.PollsEnded.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("by", lost ? "lost" : by));
            if (status == PollRecord.Ended)
            {
                await ShowAsync(broadcasterId, ended);
            }
            else
            {
                await state.DismissAsync(broadcasterId);
            }

            await AnnounceAsync(broadcasterId, cancellationToken);
        }

        await state.RemoveDueAsync(broadcasterId, record.Id);
        return ended;
    }

    /// <summary>Shows an ended result on the overlay again; Conflict while a poll runs or for a cancelled poll.</summary>
    public async Task<(PollActionResult Result, PollView? View)> ShowAgainAsync(Streamer streamer, Guid id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(streamer.Id, id, cancellationToken) is not { } record)
        {
            return (PollActionResult.NotFound, null);
        }

        if (record.Status != PollRecord.Ended)
        {
            return (PollActionResult.Conflict, null);
        }

        try
        {
            return await ShowAsync(streamer.TwitchUserId, record) is { } view ? (PollActionResult.Done, view) : (PollActionResult.Conflict, null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, e, "show", streamer.TwitchUserId);
            return (PollActionResult.RedisUnavailable, null);
        }
    }

    // The ended result on the overlay from now for its resultSeconds (or until dismissed); null when a poll runs.
    private async Task<PollView?> ShowAsync(string broadcasterId, PollRecord ended)
    {
        var lifetime = ended.Definition.ResultSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var view = ended.ToView(lifetime is { } l ? time.GetUtcNow().Add(l).ToUnixTimeMilliseconds() : null);
        return await state.ShowAsync(broadcasterId, view, lifetime) ? view : null;
    }

    // A running row whose Redis state is gone (Redis lost its data) would block every new poll: it is cancelled.
    private async Task<bool> CancelOrphanAsync(Streamer streamer, CancellationToken cancellationToken)
    {
        if (await store.GetRunningAsync(streamer.Id, cancellationToken) is not { } running || running.StartedAt > time.GetUtcNow() - OrphanAge)
        {
            return false;
        }

        var live = await state.ReadAsync(streamer.TwitchUserId);
        return (live is null || live.Id != running.Id) && await CompleteAsync(streamer.TwitchUserId, running, "streamer", cancellationToken) is not null;
    }

    // The Start script may have run although its reply was lost: the ticker clears a state whose row is gone.
    private async Task ForgetStartAsync(string broadcasterId, Guid pollId)
    {
        try
        {
            await state.MarkDueAsync(broadcasterId, pollId, 0);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, e, "start cleanup", broadcasterId);
        }
    }

    // Every replica drops its cached running poll; a lost event costs at most the cache's few seconds.
    private async Task AnnounceAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        try
        {
            await events.PublishAsync(new StreamerEvent(StreamerEventKind.PollChanged, broadcasterId), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, e, "announce", broadcasterId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll {Action} for {BroadcasterId} failed: Redis did not answer")]
    private static partial void LogRedisFailed(ILogger logger, Exception exception, string action, string broadcasterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll {Action} for {BroadcasterId} was decided; storing its result failed, the ticker retries")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception, string action, string broadcasterId);
}
