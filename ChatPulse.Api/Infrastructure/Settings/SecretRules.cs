namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>
/// What a secret must not look like, and how many random bytes one holds: the rules behind SESSION_SECRET,
/// WEBHOOK_SECRET, TOKEN_ENCRYPTION_KEY, TWITCH_CLIENT_* and the passwords in DATABASE_URL / REDIS_URL.
/// </summary>
internal static class SecretRules
{
    /// <summary>How to make a value that passes every rule, for the error lines.</summary>
    public const string Recipe = "generate one with: openssl rand -hex 32";

    /// <summary>The rule a placeholder breaks, as the error lines name it.</summary>
    public const string NotPlaceholder = "must not be a placeholder (your-…, CHANGE-ME…, <…>, one repeated character, a run like 12345, a word like secret)";

    private static readonly string[] Markers = ["changeme", "change-me", "change_me", "replaceme", "replace-me", "replace_me", "placeholder"];

    private static readonly string[] Words = ["secret", "password", "passwd", "changeit", "default", "example", "token", "key", "test", "admin", "letmein"];

    private const string Run = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// A template's value or something typed instead of a secret: <c>your-…</c>, <c>CHANGE-ME…</c> / <c>changeme</c> /
    /// <c>placeholder</c> anywhere, <c>&lt;…&gt;</c> / <c>${…}</c> / <c>{{…}}</c>, one character repeated, a run
    /// (<c>123456789</c>, <c>abcdef</c>), or a word alone (<c>secret</c>, <c>password</c>, …).
    /// </summary>
    public static bool LooksLikePlaceholder(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        if (text.Length == 0)
        {
            return false; // missing is its own rule
        }

        return text.StartsWith("your", StringComparison.Ordinal) && text.Length > 4 && text[4] is '-' or '_' or ' ' or '.'
            || Markers.Any(m => text.Contains(m, StringComparison.Ordinal))
            || text is ['<', .., '>'] || text.StartsWith("${", StringComparison.Ordinal) || text.StartsWith("{{", StringComparison.Ordinal)
            || text.All(c => c == text[0])
            || text.Length >= 4 && Run.Contains(text, StringComparison.Ordinal)
            || Words.Contains(text);
    }

    /// <summary>
    /// The bytes <paramref name="value"/> encodes as hex (even length, hex digits only) or else as base64 (standard or
    /// URL-safe, padding optional); null when it is neither.
    /// </summary>
    public static byte[]? Decode(string value)
    {
        if (value.Length % 2 == 0 && value.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(value);
        }

        var base64 = value.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        if (base64.Length % 4 == 1)
        {
            return null;
        }

        var buffer = new byte[base64.Length * 3 / 4];
        return Convert.TryFromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='), buffer, out var written)
            ? buffer[..written]
            : null;
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> can be random: 32 random bytes show about 30 different values, so fewer than
    /// 16 means a pattern (a repeated block, a counter), not a generator's output.
    /// </summary>
    public static bool LooksRandom(byte[] bytes) => bytes.Distinct().Count() >= Math.Min(16, bytes.Length / 2);
}
