using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Twitch;

[Collection(AppHostCollection.Name)]
public sealed class WebhookRateLimitTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_source_over_the_per_ip_limit_gets_429_with_retry_after()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["Chat__WebhookPermitsPerSecond"] = "10"; // the production number is 20,000; a small one is testable
        await using var api = await ApiInstance.StartAsync(environment);
        var secret = fixture.ApiEnvironment["WEBHOOK_SECRET"];

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            api.Client.SendAsync(EventSubMessages.Request(secret, EventSubHeaders.Notification, EventSubMessages.ChatMessage("1", "2", "hi")))));

        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.NoContent) >= 10); // the burst passes
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter is not null));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
