using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Votes;

public enum VoteSide
{
    None,
    For,
    Against,
}

/// <summary>
/// product.md's rule: a chat message is a vote when its trimmed text equals a trigger, case-insensitively
/// (exact match, not substring). The text is the whole message as the chatter typed it, emote names included,
/// so a message that is just the emote "Kappa" votes for the trigger "Kappa".
/// </summary>
public static class VoteMatcher
{
    public static VoteSide Match(ReadOnlySpan<char> messageText, OverlayConfiguration configuration)
    {
        var text = Trim(messageText);
        if (text.IsEmpty)
        {
            return VoteSide.None;
        }

        if (text.Equals(configuration.ForTrigger.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return VoteSide.For;
        }

        return text.Equals(configuration.AgainstTrigger.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase)
            ? VoteSide.Against
            : VoteSide.None;
    }

    /// <summary>
    /// Trims white space and the invisible characters chat clients append so Twitch accepts a repeated
    /// message (U+E0000 tag, U+034F, zero-width spaces/joiners, U+2060, U+FEFF): "yes" sent twice stays "yes".
    /// </summary>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end)
        {
            var width = InvisibleWidth(text, start, forward: true);
            if (width == 0)
            {
                break;
            }

            start += width;
        }

        while (end > start)
        {
            var width = InvisibleWidth(text, end - 1, forward: false);
            if (width == 0)
            {
                break;
            }

            end -= width;
        }

        return text[start..end];
    }

    // 1 or 2 (a surrogate pair) when the character at index is trimmable, else 0.
    private static int InvisibleWidth(ReadOnlySpan<char> text, int index, bool forward)
    {
        var c = text[index];
        if (char.IsWhiteSpace(c) || c is '\u034F' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF')
        {
            return 1;
        }

        // U+E0000 is the surrogate pair DB40 DC00.
        if (forward)
        {
            return c == '\uDB40' && index + 1 < text.Length && text[index + 1] == '\uDC00' ? 2 : 0;
        }

        return c == '\uDC00' && index > 0 && text[index - 1] == '\uDB40' ? 2 : 0;
    }
}
