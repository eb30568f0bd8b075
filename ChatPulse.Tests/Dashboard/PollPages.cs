using System.Text.Json;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Twitch;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>What the poll browser tests share: the poll card on a page, chat votes through the real webhook, the API's answers.</summary>
internal static class PollPages
{
    public static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    /// <summary>The live view's state: <c>running</c>, <c>ended</c>, or <c>none</c> when no poll is shown.</summary>
    public static Task<string> StateAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.querySelector('[data-testid=polls]').dataset.poll");

    public static Task WaitForStateAsync(IPage page, string state, TimeSpan? timeout = null) =>
        WaitAsync(page, $"document.querySelector('[data-testid=polls]').dataset.poll === '{state}'", $"the poll to be {state}", timeout ?? Waits.Short);

    /// <summary>Waits until the script <paramref name="condition"/> holds, for up to <paramref name="timeout"/> (a poll's length and more).</summary>
    public static async Task WaitAsync(IPage page, string condition, string what, TimeSpan timeout)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }}", null,
                new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = (float)timeout.TotalMilliseconds });
        }
        catch (PlaywrightException e) when (e.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            throw new System.TimeoutException($"Timed out waiting for {what} ({condition}).", e);
        }
    }

    /// <summary>The live view's votes per option as the page shows them.</summary>
    public static Task<string[]> LiveVotesAsync(IPage page) =>
        page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=poll-live-votes]')].map(n => n.textContent)");

    public static async Task<string> TextAsync(IPage page, string testId) => (await page.TextContentAsync($"[data-testid={testId}]"))?.Trim() ?? "";

    /// <summary>A viewer's chat message, signed and posted to the replica's webhook as Twitch delivers it.</summary>
    public static async Task ChatAsync(ApiInstance replica, string broadcasterId, string chatterId, string text)
    {
        using var request = EventSubMessages.Request(replica.Environment["WEBHOOK_SECRET"], Api.Twitch.Webhook.EventSubHeaders.Notification,
            EventSubMessages.ChatMessage(broadcasterId, chatterId, text));
        using var response = await replica.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary><c>GET /api/dashboard/polls/current</c> as the signed-in streamer: the poll the overlay shows now, or null.</summary>
    public static async Task<JsonElement?> CurrentAsync(Visitor visitor)
    {
        using var response = await visitor.GetAsync("/api/dashboard/polls/current");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var poll = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("poll");
        return poll.ValueKind == JsonValueKind.Null ? null : poll.Clone();
    }

    public static Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name), FullPage = true });
    }
}
