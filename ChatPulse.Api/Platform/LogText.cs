using System.Globalization;
using System.Text;

namespace ChatPulse.Api.Platform;

/// <summary>
/// Text from outside (headers, bodies, paths) as it may appear in a log line: control characters, invisible format
/// characters (bidi overrides, zero-width), line separators and lone surrogates are written as <c>\uXXXX</c>, and a
/// long value is cut, so a client can neither forge log lines nor hide what it sent.
/// </summary>
public static class LogText
{
    /// <summary>The most characters of one value a log line carries.</summary>
    public const int MaxLength = 200;

    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var shown = value.AsSpan(0, Math.Min(value.Length, MaxLength));
        if (shown.Length == value.Length && UnsafeAt(shown) < 0)
        {
            return value; // the usual case: nothing to escape, no copy
        }

        var builder = new StringBuilder(shown.Length + 16);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (char.IsHighSurrogate(c) && i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1]))
            {
                builder.Append(c).Append(shown[++i]);
            }
            else if (IsUnsafe(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return shown.Length < value.Length ? builder.Append('…').ToString() : builder.ToString();
    }

    private static int UnsafeAt(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) => c < ' ' || (c >= '\u007F' && char.GetUnicodeCategory(c) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate);
}
