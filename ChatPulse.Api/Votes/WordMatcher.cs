using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Votes;

/// <summary>
/// <see cref="TriggerMatchMode.AnyWord"/> (docs/triggers.md): words are white-space separated tokens (an emote's name
/// is one), each tried as typed and then without the punctuation around it; one pass over the text, at most two hash
/// lookups per word and side, so the cost follows the message's length and not the number of triggers.
/// </summary>
public static class WordMatcher
{
    /// <summary>True when <paramref name="text"/> would be more than one word to <see cref="TriggerMatchMode.AnyWord"/>.</summary>
    public static bool HasWordBreak(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The side of the one kind of trigger among <paramref name="text"/>'s words (in normal form), or none.</summary>
    public static VoteSide Match(ReadOnlySpan<char> text, OverlayConfiguration configuration)
    {
        var seen = VoteSide.None;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                continue;
            }

            var side = i > start ? WordSide(text[start..i], configuration) : VoteSide.None;
            if (side != VoteSide.None)
            {
                if (seen != VoteSide.None && seen != side)
                {
                    return VoteSide.None; // triggers of both sides: not a vote
                }

                seen = side;
            }

            start = i + 1;
        }

        return seen;
    }

    // The word as typed (an emote such as ":)" or "D:"), else without the punctuation around it ("yes!", "(yes)").
    private static VoteSide WordSide(ReadOnlySpan<char> word, OverlayConfiguration configuration)
    {
        word = VoteMatcher.Trim(word);
        var side = VoteMatcher.SideOf(word, configuration);
        if (side != VoteSide.None)
        {
            return side;
        }

        var bare = VoteMatcher.Trim(TrimPunctuation(word));
        return bare.Length != word.Length && !bare.IsEmpty ? VoteMatcher.SideOf(bare, configuration) : VoteSide.None;
    }

    // Unicode punctuation (categories P*) at either end; symbols and emoji stay part of the word.
    private static ReadOnlySpan<char> TrimPunctuation(ReadOnlySpan<char> word)
    {
        var start = 0;
        var end = word.Length;
        while (start < end && char.IsPunctuation(word[start]))
        {
            start++;
        }

        while (end > start && char.IsPunctuation(word[end - 1]))
        {
            end--;
        }

        return word[start..end];
    }
}
