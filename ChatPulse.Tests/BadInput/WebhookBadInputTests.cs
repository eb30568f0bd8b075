using System.Text;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.BadInput;

/// <summary>Signed deliveries that are still wrong, and bodies the server cannot read: each a 4xx from the running API.</summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookBadInputTests(AppHostFixture fixture)
{
    private string Secret => fixture.ApiEnvironment["WEBHOOK_SECRET"];

    [Fact]
    public async Task An_empty_message_type_is_400()
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, "", EventSubMessages.ChatMessage("1", "2", "yes")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("ddd, dd MMM yyyy HH:mm:ss 'GMT'")] // RFC 1123
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.fffffff")] // no offset
    [InlineData("yyyy-MM-dd HH:mm:ss'Z'")] // a space for the T
    public async Task A_signed_timestamp_that_is_not_rfc_3339_is_400(string format)
    {
        var stamp = DateTimeOffset.UtcNow.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

        using var response = await fixture.Api.SendAsync(SignedWithTimestamp(EventSubMessages.ChatMessage("1", "2", "yes"), stamp));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_timestamp_with_nanoseconds_as_twitch_sends_it_is_accepted()
    {
        var stamp = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "49Z";

        using var response = await fixture.Api.SendAsync(SignedWithTimestamp(EventSubMessages.ChatMessage("1", "2", "hello"), stamp));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("12\u00003", "2")]
    [InlineData("streamer", "2")]
    [InlineData("1", "2\n3")]
    public async Task A_signed_broadcaster_or_chatter_id_that_is_not_a_twitch_id_is_400(string broadcaster, string chatter)
    {
        using var response = await fixture.Api.SendAsync(
            EventSubMessages.Request(Secret, Notification, EventSubMessages.ChatMessage(broadcaster, chatter, "yes")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked", "zz\r\nhello\r\n0\r\n\r\n")] // "Bad chunk size data"
    [InlineData("Transfer-Encoding: gzip, chunked", "{\"subscription\":{}}")]
    [InlineData("Transfer-Encoding: chunked", "5\r\nhelloXX0\r\n\r\n")]
    public async Task A_body_kestrel_cannot_read_is_400_not_500(string framing, string body)
    {
        var request = RawHttp.Request("POST", TwitchExtensions.WebhookPath,
            [framing, "Content-Type: application/json", $"{MessageId}: x", $"{MessageType}: notification",
             $"{MessageSignature}: sha256=00", $"{MessageTimestamp}: 2024-01-01T00:00:00Z"],
            Encoding.ASCII.GetBytes(body));

        Assert.Equal(400, await RawHttp.SendAsync(fixture.ApiBaseAddress, request));
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_that_stops_arriving_is_408()
    {
        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace) ends the wait; the connection stays open.
        var request = RawHttp.Request("POST", TwitchExtensions.WebhookPath,
            ["Content-Length: 1000", "Content-Type: application/json", $"{MessageId}: x", $"{MessageType}: notification",
             $"{MessageSignature}: sha256=00", $"{MessageTimestamp}: 2024-01-01T00:00:00Z"],
            Encoding.ASCII.GetBytes("{\"subscription\":"));

        Assert.Equal(408, await RawHttp.SendAsync(fixture.ApiBaseAddress, request));
    }

    private HttpRequestMessage SignedWithTimestamp(string body, string stamp)
    {
        var request = EventSubMessages.Request(Secret, Notification, body);
        var id = request.Headers.GetValues(MessageId).Single();
        request.Headers.Remove(MessageTimestamp);
        request.Headers.Remove(MessageSignature);
        request.Headers.TryAddWithoutValidation(MessageTimestamp, stamp);
        request.Headers.TryAddWithoutValidation(MessageSignature, EventSubSignature.Sign(Secret, id, stamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }
}
