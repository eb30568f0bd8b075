using System.Text;

namespace ChatPulse.Tests.BadInput;

/// <summary>The generated-input test's material: Unicode edge cases, broken encodings, timestamps, framings.</summary>
public static class MalformedText
{
    private static readonly string[] Texts =
    [
        "", " ", "\0", "yes\0", "\0no", "\u0001\u001F\u007F", "\u0085", "\u00DF", "\u1E9E", "i", "\u0130", "\u0131", "\u212A",
        "yes\u200B", "\u200B", "\uFEFF", "\U000E0000", "e\u0301", "\u00E9", "\u202Eevil", "\u2028", "\uFFFF", "\uFFFE",
        "\U0010FFFF", "\U0001F600", "\u0300\u0300\u0300", "\u034F", "%00", "%zz", "%", "'; DROP TABLE streamers; --", "<script>x</script>",
        "../../etc/passwd", "{\"a\":", "\r\nSet-Cookie: x=y", new string('x', 501), new string('\u00E9', 600), new string('1', 40),
        "141981764\n", "-1", "١٢٣", "\uD800", "a\uDC00b", "\uDBFF\uDFFF",
    ];

    /// <summary>Pairs the old rule (lower() in the database, OrdinalIgnoreCase in the app) disagreed on, or near them.</summary>
    public static readonly (string, string)[] EqualishPairs =
    [
        ("\u00DF", "\u1E9E"), ("i", "\u0130"), ("k", "\u212A"), ("\u03C3", "\u03C2"), ("yes", "yes\u200B"), ("\u00E9", "e\u0301"),
        ("\u017F", "s"), ("I", "\u0131"),
    ];

    public static readonly string[] Timestamps =
    [
        "Mon, 01 Jan 2024 00:00:00 GMT", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00.Z", "", " ",
        "2024-13-01T00:00:00Z", "9999-12-31T23:59:59.9999999-14:00", "0001-01-01T00:00:00+14:00", "2024-01-01T00:00:00+99:99",
        "1704067200", "2024-01-01T00:00:00.0000000000000000000000000Z", "2024-02-30T00:00:00Z", "２０24-01-01T00:00:00Z",
    ];

    public static readonly string[] FormContentTypes =
    [
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-7",
        "application/x-www-form-urlencoded; charset=nonsense", "multipart/form-data", "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"unterminated", "text/plain", "application/json", "x/y; z", "",
    ];

    /// <summary>Framing no HttpClient sends: the headers, the body, whether the client then stops sending, whether an answer is due.</summary>
    public static readonly (string[] Headers, string Body, bool HalfClose, bool AnswerDue)[] Framings =
    [
        (["Transfer-Encoding: chunked"], "zz\r\nhello\r\n0\r\n\r\n", false, true),
        (["Transfer-Encoding: gzip, chunked"], "Form.ForLabel=x", false, true),
        (["Transfer-Encoding: chunked"], "5\r\nhelloXX0\r\n\r\n", false, true),
        (["Transfer-Encoding: chunked"], "FFFFFFFFFFFFFFFFFF\r\n", false, true),
        (["Transfer-Encoding: chunked"], "5;" + new string('e', 20_000) + "\r\nhello\r\n0\r\n\r\n", false, true),
        (["Transfer-Encoding: chunked"], "5\r\nhel", true, false),
        (["Content-Length: 100"], "Form.ForLabel=x", true, false), // a body shorter than announced: the client gave up
        (["Content-Length: abc"], "", false, true),
        (["Content-Length: -1"], "", false, true),
        (["Content-Length: 5", "Content-Length: 6"], "hello!", false, true),
        (["Content-Length: 99999999999"], "x", false, true),
        (["X-Huge: " + new string('h', 40_000)], "", false, true),
        (["Bad Header: x"], "", false, true),
        (["Content-Length: 2", "Transfer-Encoding: chunked"], "0\r\n\r\n", false, true),
        (["Transfer-Encoding: identity"], "", false, true),
    ];

    public static string Pick(Random random) => random.Next(4) == 0
        ? string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Texts[random.Next(Texts.Length)]))
        : Texts[random.Next(Texts.Length)];

    /// <summary>The text's UTF-8 bytes, sometimes with a NUL, an invalid UTF-8 sequence or a cut multi-byte character.</summary>
    public static byte[] Bytes(Random random, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Next(4) switch
        {
            0 => [.. bytes, 0x00, .. bytes],
            1 => [.. bytes, 0xC3],
            2 => [0xFF, 0xFE, .. bytes, 0xED, 0xA0, 0x80],
            _ => bytes,
        };
    }

    /// <summary>Bodies that are not the EventSub JSON they claim to be.</summary>
    public static string Json(Random random, string text) => random.Next(5) switch
    {
        0 => new string('[', 5000),
        1 => "{\"subscription\":{\"type\":\"channel.chat.message\"},\"event\":{\"broadcaster_user_id\":1,\"message\":{\"text\":[]}}}",
        2 => "{\"subscription\":{\"type\":\"channel.chat.message\"},\"event\":{\"broadcaster_user_id\":\"1\",\"chatter_user_id\":\"2\",\"message\":{\"text\":\"\\ud800\"}}}",
        3 => "{\"challenge\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}",
        _ => "{\"subscription\":" + text,
    };
}
