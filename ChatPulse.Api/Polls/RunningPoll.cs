using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Polls;

/// <summary>
/// What the vote path needs of a channel's running poll (cached with the channel in <see cref="ChannelSettings"/>):
/// its id and each option's triggers. Whether a vote still counts (running, before the end) is Redis's to judge.
/// </summary>
public sealed record RunningPoll(Guid Id, IReadOnlyList<TriggerList> OptionTriggers)
{
    /// <summary>The 1-based option whose trigger the whole message is (<see cref="VoteMatcher.Normalize"/>d), or 0.</summary>
    public int OptionOf(ReadOnlySpan<char> messageText)
    {
        var text = VoteMatcher.Normalize(messageText);
        if (text.IsEmpty)
        {
            return 0;
        }

        for (var i = 0; i < OptionTriggers.Count; i++)
        {
            if (OptionTriggers[i].Contains(text))
            {
                return i + 1;
            }
        }

        return 0;
    }
}
