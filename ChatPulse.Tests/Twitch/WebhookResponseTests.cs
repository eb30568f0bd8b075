using System.Text;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Support;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Twitch;

/// <summary>What the running API answers for every kind of delivery, good and bad.</summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookResponseTests(AppHostFixture fixture)
{
    private string Secret => fixture.ApiEnvironment["WEBHOOK_SECRET"];

    private string Chat => EventSubMessages.ChatMessage("1", "2", "hello");

    [Theory]
    [InlineData(MessageId)]
    [InlineData(MessageTimestamp)]
    [InlineData(MessageSignature)]
    [InlineData(MessageType)]
    public async Task A_missing_header_is_400(string header)
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, Chat, omit: header));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_wrong_signature_is_403()
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret + "x", Notification, Chat));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_signature_header_is_403()
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, Chat, signature: "sha256=nothex"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(-11)]
    [InlineData(11)]
    public async Task A_timestamp_more_than_10_minutes_away_is_403_even_when_signed(int minutes)
    {
        using var response = await fixture.Api.SendAsync(
            EventSubMessages.Request(Secret, Notification, Chat, timestamp: DateTimeOffset.UtcNow.AddMinutes(minutes)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_timestamp_9_minutes_old_is_accepted()
    {
        using var response = await fixture.Api.SendAsync(
            EventSubMessages.Request(Secret, Notification, Chat, timestamp: DateTimeOffset.UtcNow.AddMinutes(-9)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"subscription\":")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    public async Task Malformed_json_is_400(string body)
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413()
    {
        var body = "{\"pad\":\"" + new string('a', SignedDelivery.MaxBodyBytes) + "\"}";

        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('a', SignedDelivery.MaxBodyBytes) + "\"}");
        using var request = EventSubMessages.Request(Secret, Notification, "x");
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length: sent chunked

        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387","status":"webhook_callback_verification_pending","type":"channel.chat.message","version":"1","condition":{"broadcaster_user_id":"12826"},"transport":{"method":"webhook","callback":"https://example.com/webhooks/eventsub"},"created_at":"2019-11-16T10:11:12.634234626Z"}}""")]
    [InlineData("""{"challenge":"pogchamp-kappa-360noscope-vohiyo","conduit_shard":{"conduit_id":"bfcfc993-26b1-b876-44d9-afe75a379dac","shard":"0"}}""")]
    public async Task A_challenge_is_answered_with_exactly_the_challenge_as_text_plain(string body)
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Verification, body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("pogchamp-kappa-360noscope-vohiyo", await response.Content.ReadAsStringAsync());
        Assert.Equal("pogchamp-kappa-360noscope-vohiyo".Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_challenge_with_a_bad_signature_is_403_and_reveals_nothing()
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret + "x", Verification, """{"challenge":"challenge-not-hex-zq"}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("challenge-not-hex-zq", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_revocation_is_2xx()
    {
        using var response = await fixture.Api.SendAsync(
            EventSubMessages.Request(Secret, Revocation, EventSubMessages.Revocation(Guid.NewGuid().ToString(), "authorization_revoked")));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData(Notification, """{"subscription":{"id":"x","type":"channel.follow","version":"2"},"event":{"user_id":"1","followed_at":"2024-01-01T00:00:00Z"}}""")]
    [InlineData("some_new_message_type", """{"subscription":{"id":"x","type":"channel.chat.message"},"something":{"new":true}}""")]
    [InlineData(Notification, """{"subscription":{"id":"x","type":"channel.chat.message","brand_new":[1,{"a":null}]},"event":{"broadcaster_user_id":"1","chatter_user_id":"2","message":{"text":"yes","fragments":null},"new_field":{"x":1}}}""")]
    [InlineData(Notification, """{"subscription":{"id":null,"type":"channel.chat.message"},"event":null}""")]
    [InlineData(Notification, """{"subscription":{"id":"x","type":"channel.chat.message"},"event":{"broadcaster_user_id":null,"chatter_user_id":null,"message":null}}""")]
    public async Task Unknown_types_fields_and_nulls_are_acknowledged(string messageType, string body)
    {
        using var response = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, messageType, body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Header_names_are_case_insensitive()
    {
        var body = Chat;
        using var signed = EventSubMessages.Request(Secret, Notification, body);
        using var request = EventSubMessages.Request(Secret, Notification, body, omit: [MessageId, MessageType, MessageSignature, MessageTimestamp]);
        foreach (var name in new[] { MessageId, MessageType, MessageSignature, MessageTimestamp })
        {
            request.Headers.TryAddWithoutValidation(name.ToLowerInvariant(), signed.Headers.GetValues(name));
        }

        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
