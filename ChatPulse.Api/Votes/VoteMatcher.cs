using System.Text;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Votes;

public enum VoteSide
{
    None,
    For,
    Against,
}

/// <summary>
/// When a chat message is a vote (docs/triggers.md). The text is the whole message as the chatter typed it, emote names
/// included (Twitch's message text carries each emote fragment's name), so "Kappa" votes for the trigger "Kappa". Text
/// and triggers are compared in the one normal form of <see cref="Normalize"/>, case-insensitively, by hash lookup in
/// each side's <see cref="TriggerList"/>: the cost grows with the message's length, not with the number of triggers.
/// </summary>
public static class VoteMatcher
{
    /// <summary>The side the message votes for: in whole-message mode the whole text is a trigger, in any-word mode see <see cref="WordMatcher"/>.</summary>
    public static VoteSide Match(ReadOnlySpan<char> messageText, OverlayConfiguration configuration)
    {
        var text = Normalize(messageText);
        if (text.IsEmpty)
        {
            return VoteSide.None;
        }

        return configuration.MatchMode == TriggerMatchMode.AnyWord ? WordMatcher.Match(text, configuration) : SideOf(text, configuration);
    }

    /// <summary>The side whose trigger <paramref name="text"/> (in normal form) is, or none.</summary>
    internal static VoteSide SideOf(ReadOnlySpan<char> text, OverlayConfiguration configuration) =>
        configuration.ForTriggers.Contains(text) ? VoteSide.For
        : configuration.AgainstTriggers.Contains(text) ? VoteSide.Against
        : VoteSide.None;

    /// <summary>
    /// The one normal form of chat text and triggers alike: <see cref="Trim"/>med, then Unicode NFC, so "é" typed as
    /// one character or as "e" + U+0301 is one text. Text below U+0300 (ASCII, most chat) is NFC already and costs only
    /// the trim and one vectorised scan. Text NFC cannot take (a lone surrogate, a noncharacter) is left as it is, trimmed.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> text)
    {
        var trimmed = Trim(text);
        // Below U+0300 (ASCII, Latin-1, Latin Extended) every character is NFC as it stands, whatever follows it.
        if (trimmed.IndexOfAnyInRange('\u0300', '\uFFFF') < 0 || !IsValidUtf16(trimmed))
        {
            return trimmed;
        }

        try
        {
            return trimmed.IsNormalized() ? trimmed : trimmed.ToString().Normalize();
        }
        catch (ArgumentException)
        {
            return trimmed; // code points normalisation refuses (U+FFFE, U+FFFF, …): compared as they are, both sides
        }
    }

    /// <summary>
    /// The one definition of "the same trigger": two triggers are the same exactly when their keys are equal, which is
    /// when some chat text would match both. The database stores each trigger's key and its check compares the keys
    /// (migration 0004), so the form, the store and the matcher apply one rule.
    /// </summary>
    public static string TriggerKey(string trigger)
    {
        var normalized = Normalize(trigger);
        var key = new StringBuilder(normalized.Length);
        Span<char> original = stackalloc char[2], upper = stackalloc char[2];
        foreach (var rune in normalized.EnumerateRunes())
        {
            var mapped = Rune.ToUpperInvariant(rune);
            var length = rune.EncodeToUtf16(original);
            var mappedLength = mapped.EncodeToUtf16(upper);
            // Only where OrdinalIgnoreCase (the matcher's comparison) agrees: it leaves out a few, e.g. ſ → S.
            var same = original[..length].Equals(upper[..mappedLength], StringComparison.OrdinalIgnoreCase);
            key.Append(same ? upper[..mappedLength] : original[..length]);
        }

        return key.ToString();
    }

    /// <summary>False when <paramref name="text"/> holds a lone surrogate (which Postgres and NFC both refuse).</summary>
    public static bool IsValidUtf16(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0 && i < text.Length)
        {
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return false;
            }

            var next = text[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
            i = next < 0 ? -1 : i + 2 + next;
        }

        return true;
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
