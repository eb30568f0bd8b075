using System.Text.Json;

namespace ChatPulse.Api.Polls;

/// <summary>
/// The poll messages on a broadcaster's sentiment channel (beside the mood snapshots, which carry no <c>kind</c>):
/// <c>poll</c> when what the overlay shows changes (start, end, cancel, show, dismiss; a null view: the mood bar).
/// </summary>
public sealed record PollMessage(string BroadcasterId, PollView? View)
{
    public const string KindName = "poll";

    public string Kind => KindName;

    public string ToJson() => JsonSerializer.Serialize(this, PollJson.Options);
}

/// <summary>
/// <c>poll-counts</c>: the running poll's votes per option right after a vote script applied poll votes (at most one per
/// script call per broadcaster). Written by the Lua in <see cref="Votes.VoteScripts"/>; this record names its properties.
/// </summary>
public sealed record PollCountsMessage(string Kind, string BroadcasterId, string PollId, IReadOnlyList<long> Counts, long Total, long At)
{
    public const string KindName = "poll-counts";
}

/// <summary>The JSON of polls everywhere (views in Redis, messages, the API): System.Text.Json's web defaults.</summary>
public static class PollJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(PollView view) => JsonSerializer.Serialize(view, Options);

    public static PollView? Read(string json) => JsonSerializer.Deserialize<PollView>(json, Options);
}
