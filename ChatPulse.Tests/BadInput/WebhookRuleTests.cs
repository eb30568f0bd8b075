using ChatPulse.Api.Platform;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.Tests.BadInput;

/// <summary>The webhook's input rules as pure functions: RFC 3339 timestamps, Twitch user ids, log-safe text.</summary>
public sealed class WebhookRuleTests
{
    [Theory]
    [InlineData("2021-02-19T23:47:00.8091512Z", "2021-02-19T23:47:00.8091512+00:00")]
    [InlineData("2023-11-06T18:11:47.492253549Z", "2023-11-06T18:11:47.4922535+00:00")] // Twitch's nanoseconds
    [InlineData("2023-11-06T18:11:47Z", "2023-11-06T18:11:47.0000000+00:00")]
    [InlineData("2023-11-06T18:11:47.5Z", "2023-11-06T18:11:47.5000000+00:00")]
    [InlineData("2023-11-06t18:11:47z", "2023-11-06T18:11:47.0000000+00:00")]
    [InlineData("2023-11-06T20:11:47.1+02:00", "2023-11-06T18:11:47.1000000+00:00")]
    [InlineData("2023-11-06T08:11:47-10:00", "2023-11-06T18:11:47.0000000+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    public void An_rfc_3339_timestamp_is_read_as_utc(string text, string expected)
    {
        Assert.True(Rfc3339Timestamp.TryParse(text, out var value));
        Assert.Equal(expected, value.ToString("O"));
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("Mon, 06 Nov 2023 18:11:47 GMT")] // RFC 1123
    [InlineData("2023-11-06T18:11:47")] // no offset
    [InlineData("2023-11-06 18:11:47Z")] // a space for the T
    [InlineData("2023-11-06T18:11:47.Z")]
    [InlineData("2023-11-06T18:11:47+0200")]
    [InlineData("2023-11-06T18:11:47+02")]
    [InlineData("2023-11-06T18:11:47+15:00")]
    [InlineData("2023-11-06T18:11:47Z ")]
    [InlineData(" 2023-11-06T18:11:47Z")]
    [InlineData("2023-02-29T18:11:47Z")]
    [InlineData("2023-13-06T18:11:47Z")]
    [InlineData("2023-11-06T24:00:00Z")]
    [InlineData("2023-11-06T18:60:00Z")]
    [InlineData("2016-12-31T23:59:60Z")] // a leap second: RFC 3339, but no DateTime
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")] // before DateTime.MinValue in UTC
    [InlineData("２０23-11-06T18:11:47Z")] // full-width digits
    [InlineData("2023-11-06T18:11:47.123٤Z")]
    [InlineData("1700000000")]
    [InlineData("")]
    public void Anything_else_is_not_a_timestamp(string text)
    {
        Assert.False(Rfc3339Timestamp.TryParse(text, out _));
    }

    [Theory]
    [InlineData("141981764", true)]
    [InlineData("1", true)]
    [InlineData("12345678901234567890", true)]
    [InlineData("123456789012345678901", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("1\u00002", false)]
    [InlineData("-1", false)]
    [InlineData(" 1", false)]
    [InlineData("١٢", false)] // Arabic-Indic digits are digits, not Twitch ids
    [InlineData("abc", false)]
    public void A_twitch_user_id_is_a_numeric_string(string? id, bool valid)
    {
        Assert.Equal(valid, TwitchUserId.IsValid(id));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\u0000b", "a\\u0000b")]
    [InlineData("line\r\nforged: entry", "line\\u000D\\u000Aforged: entry")]
    [InlineData("\u001B[31mred", "\\u001B[31mred")]
    [InlineData("bidi\u202Eevil", "bidi\\u202Eevil")]
    [InlineData("zero\u200Bwidth", "zero\\u200Bwidth")]
    [InlineData("sep\u2028x", "sep\\u2028x")]
    [InlineData("emoji \U0001F600 ok", "emoji \U0001F600 ok")]
    [InlineData("caf\u00E9", "caf\u00E9")]
    [InlineData(null, "")]
    public void Log_text_escapes_what_could_forge_or_hide_a_line(string? value, string expected)
    {
        Assert.Equal(expected, LogText.Sanitize(value));
    }

    [Fact]
    public void Log_text_escapes_a_lone_surrogate()
    {
        Assert.Equal("lone\\uD800 \U0001F600", LogText.Sanitize("lone" + '\uD800' + " \U0001F600"));
    }

    [Fact]
    public void Log_text_cuts_a_long_value()
    {
        var sanitized = LogText.Sanitize(new string('x', 5000));

        Assert.Equal(LogText.MaxLength + 1, sanitized.Length);
        Assert.EndsWith("…", sanitized);
    }

    [Fact]
    public void Log_text_returns_clean_text_itself()
    {
        const string clean = "141981764";

        Assert.Same(clean, LogText.Sanitize(clean));
    }
}
