using ChatPulse.Api.Infrastructure.Redis;

namespace ChatPulse.Api.Polls;

/// <summary>An entry of the ticker's list (<see cref="RedisKeys.PollsDue"/>): <c>broadcasterId:pollId</c>, so one poll's completion never removes the next poll's entry.</summary>
public sealed record PollDue(string BroadcasterId, Guid PollId)
{
    /// <summary>The sorted set's member.</summary>
    public string Member => PollId == Guid.Empty ? BroadcasterId : $"{BroadcasterId}:{PollId}";

    /// <summary>Reads a member; a malformed one has <see cref="Guid.Empty"/> (no row: the ticker removes it).</summary>
    public static PollDue Parse(string member)
    {
        var colon = member.LastIndexOf(':');
        return colon > 0 && Guid.TryParse(member.AsSpan(colon + 1), out var id) ? new PollDue(member[..colon], id) : new PollDue(member, Guid.Empty);
    }
}
