using System.Globalization;
using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Polls;

/// <summary>A poll's live state as Redis holds it (<see cref="RedisKeys.Poll"/>).</summary>
/// <param name="EndedAt">Unix ms the end was stamped with; null while running.</param>
public sealed record LivePoll(Guid Id, string State, long StartedAt, long EndsAt, long? EndedAt, long[] Counts, long Total, long[] VotesPerMinute)
{
    /// <summary>0-based indexes of the options with the most votes: several on a tie, none without votes.</summary>
    public int[] Winners()
    {
        var most = Counts.DefaultIfEmpty(0).Max();
        return most == 0 ? [] : [.. Enumerable.Range(0, Counts.Length).Where(i => Counts[i] == most)];
    }
}

/// <summary>A broadcaster's poll in Redis: the live state, the overlay's view and the cluster's list of polls to end.</summary>
public sealed class PollState(IConnectionMultiplexer redis)
{
    /// <summary>How long an ended poll's state and voters stay (the end's retries read them).</summary>
    public static readonly TimeSpan KeepAfterEnd = TimeSpan.FromHours(1);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Writes a new running poll and its view, and publishes it; false when a poll other than <paramref name="replaces"/>
    /// runs (<see cref="PollScripts.Start"/>).
    /// </summary>
    public async Task<bool> StartAsync(string broadcasterId, PollRecord poll, PollView view, Guid? replaces)
    {
        var started = await Db.ScriptEvaluateAsync(PollScripts.Start, [RedisKeys.Poll(broadcasterId), RedisKeys.PollView(broadcasterId), RedisKeys.PollsDue],
        [
            poll.Id.ToString(), poll.Definition.Options.Count, poll.Definition.Rule, poll.StartedAt.ToUnixTimeMilliseconds(),
            poll.EndsAt?.ToUnixTimeMilliseconds() ?? 0, PollJson.Write(view), RedisKeys.SentimentChannel(broadcasterId),
            new PollMessage(broadcasterId, view).ToJson(), broadcasterId, replaces?.ToString() ?? "",
        ]);
        return (long)started == 1;
    }

    /// <summary>1: this call ended the poll; 2: it had ended already; 0: Redis holds another poll or none.</summary>
    public async Task<int> EndAsync(string broadcasterId, Guid pollId, string state, long nowMs) =>
        (int)(long)await Db.ScriptEvaluateAsync(PollScripts.End,
            [RedisKeys.Poll(broadcasterId), RedisKeys.PollVoters(broadcasterId, pollId.ToString()), RedisKeys.PollsDue],
            [pollId.ToString(), state, nowMs, (long)KeepAfterEnd.TotalMilliseconds, new PollDue(broadcasterId, pollId).Member]);

    /// <summary>The live state, or null when Redis holds none.</summary>
    public async Task<LivePoll?> ReadAsync(string broadcasterId)
    {
        var fields = (await Db.HashGetAllAsync(RedisKeys.Poll(broadcasterId))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        if (!fields.TryGetValue("id", out var id) || !int.TryParse(fields.GetValueOrDefault("n"), out var n))
        {
            return null;
        }

        long Number(string name) => long.TryParse(fields.GetValueOrDefault(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var minutes = fields.Keys.Where(k => k.Length > 1 && k[0] == 'm' && int.TryParse(k[1..], out _)).Select(k => int.Parse(k[1..], CultureInfo.InvariantCulture)).ToList();
        var perMinute = new long[minutes.Count == 0 ? 0 : minutes.Max() + 1];
        foreach (var minute in minutes)
        {
            perMinute[minute] = Number($"m{minute}");
        }

        return new LivePoll(Guid.Parse(id), fields.GetValueOrDefault("state", ""), Number("start"), Number("ends"),
            fields.ContainsKey("ended") ? Number("ended") : null, [.. Enumerable.Range(1, n).Select(i => Number($"c{i}"))], Number("total"), perMinute);
    }

    /// <summary>Shows <paramref name="view"/> (an ended result) for <paramref name="lifetime"/> (null: until dismissed); false while a poll runs.</summary>
    public async Task<bool> ShowAsync(string broadcasterId, PollView view, TimeSpan? lifetime) =>
        (long)await Db.ScriptEvaluateAsync(PollScripts.Show, [RedisKeys.Poll(broadcasterId), RedisKeys.PollView(broadcasterId)],
            [PollJson.Write(view), (long)(lifetime?.TotalMilliseconds ?? 0), RedisKeys.SentimentChannel(broadcasterId), new PollMessage(broadcasterId, view).ToJson()]) == 1;

    /// <summary>Takes a shown result (or a cancelled poll) off the overlay; false when none was shown or a poll runs.</summary>
    public async Task<bool> DismissAsync(string broadcasterId) =>
        (long)await Db.ScriptEvaluateAsync(PollScripts.Dismiss, [RedisKeys.Poll(broadcasterId), RedisKeys.PollView(broadcasterId)],
            [RedisKeys.SentimentChannel(broadcasterId), new PollMessage(broadcasterId, null).ToJson()]) == 1;

    /// <summary>What the overlay shows now; a running poll's counts as Redis has them this moment.</summary>
    public async Task<PollView?> ReadViewAsync(string broadcasterId) => (await ReadLiveViewAsync(broadcasterId)).View;

    /// <summary>
    /// Brings a running poll's view up to the live counts, so an overlay that (re)loads starts from them; the
    /// <c>poll-counts</c> messages carry every change in between. True when it was rewritten.
    /// </summary>
    public async Task<bool> RefreshViewAsync(string broadcasterId)
    {
        var (view, changed) = await ReadLiveViewAsync(broadcasterId);
        return changed && (long)await Db.ScriptEvaluateAsync(PollScripts.Refresh, [RedisKeys.Poll(broadcasterId), RedisKeys.PollView(broadcasterId)],
            [view!.Id.ToString(), PollJson.Write(view)]) == 1;
    }

    // The view with a running poll's live counts, and whether they differ from the stored view's.
    private async Task<(PollView? View, bool Changed)> ReadLiveViewAsync(string broadcasterId)
    {
        var json = await Db.StringGetAsync(RedisKeys.PollView(broadcasterId));
        if (json.IsNullOrEmpty || PollJson.Read(json.ToString()) is not { } view)
        {
            return (null, false);
        }

        if (view.State != PollView.Running || await ReadAsync(broadcasterId) is not { } live || live.Id != view.Id
            || live.Counts.SequenceEqual(view.Options.Select(o => o.Votes)))
        {
            return (view, false);
        }

        return (view with { Options = [.. view.Options.Select((o, i) => o with { Votes = i < live.Counts.Length ? live.Counts[i] : o.Votes })], TotalVotes = live.Total }, true);
    }

    /// <summary>The polls on the ticker's list not due by <paramref name="nowMs"/> (running ones).</summary>
    public async Task<PollDue[]> NotDueAsync(long nowMs) =>
        [.. (await Db.SortedSetRangeByScoreAsync(RedisKeys.PollsDue, nowMs, double.PositiveInfinity, Exclude.Start)).Select(m => PollDue.Parse(m.ToString()))];

    /// <summary>Puts the poll on the ticker's list, due at <paramref name="dueMs"/> (null: open, never due by time).</summary>
    public Task MarkDueAsync(string broadcasterId, Guid pollId, long? dueMs) =>
        Db.SortedSetAddAsync(RedisKeys.PollsDue, new PollDue(broadcasterId, pollId).Member, dueMs ?? double.PositiveInfinity);

    /// <summary>The polls due by <paramref name="nowMs"/>.</summary>
    public async Task<PollDue[]> DueAsync(long nowMs) =>
        [.. (await Db.SortedSetRangeByScoreAsync(RedisKeys.PollsDue, double.NegativeInfinity, nowMs)).Select(m => PollDue.Parse(m.ToString()))];

    /// <summary>Takes this poll off the ticker's list (its end is complete); another poll of the broadcaster stays on it.</summary>
    public Task RemoveDueAsync(string broadcasterId, Guid pollId) =>
        Db.SortedSetRemoveAsync(RedisKeys.PollsDue, new PollDue(broadcasterId, pollId).Member);
}
