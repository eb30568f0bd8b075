using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.BadInput;

/// <summary>
/// A few hundred malformed requests from a fixed seed — webhook, dashboard form (url-encoded and multipart, signed in),
/// overlay page and socket, auth endpoints; bad framing over raw TCP, bad encodings, truncated bodies, wrong methods,
/// Unicode edge cases — against a replica of the test's own (its rate limits and logs are its own). None may be a 5xx
/// or a dropped connection where an answer is due, and the replica still counts a real vote afterwards.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class GeneratedInputTests(AppHostFixture fixture)
{
    private const int Seed = 20261201;
    private const int Rounds = 40;

    private readonly List<string> _failures = [];
    private int _sent;

    [Fact]
    public async Task Malformed_requests_are_all_answered_below_500_and_the_replica_still_counts_votes()
    {
        await using var replica = await ApiInstance.StartAsync(fixture);
        var (signedIn, _) = await TwitchLogin.SignInNewStreamerAsync(replica, "fuzz");
        var site = replica.BaseAddress;
        var page = await signedIn.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=config-form]")!;
        var save = Visitor.ActionOf(form, signedIn.Resolve("/dashboard"));
        var fields = Visitor.FieldsOf(form);
        var cookieHeader = signedIn.Cookies.GetCookieHeader(site);
        var secret = fixture.ApiEnvironment["WEBHOOK_SECRET"];
        var random = new Random(Seed);

        for (var round = 0; round < Rounds; round++)
        {
            var text = MalformedText.Pick(random);
            await WebhookAsync(site, secret, random, text);
            await DashboardFormAsync(signedIn, save, fields, random, text);
            await RawFramingAsync(site, save, cookieHeader, random);
            await OverlayAndAuthAsync(site, random, text);
        }

        Assert.True(_sent >= 300, $"only {_sent} requests were generated");
        var exceptions = replica.Output.Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal)).Distinct().Take(20);
        Assert.True(_failures.Count == 0,
            $"{_failures.Count} of {_sent} requests failed:\n{string.Join("\n", _failures.Take(30))}\nlogged:\n{string.Join("\n", exceptions)}");
        // A client's mistake is one Information line without a stack trace, never the exception handler's error entry.
        Assert.DoesNotContain(replica.Logs, e => e.Category == "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware");
        var refused = replica.Output.Split('\n').Where(l => l.Contains("\"Category\":\"ChatPulse.Api.Platform.BadRequestExceptionHandler\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(refused);
        Assert.DoesNotContain(refused, l => l.Contains("\"Exception\"", StringComparison.Ordinal));

        await using var channel = await VoteTestChannel.CreateAsync(fixture.Database, fixture.Redis);
        using var vote = await replica.Client.SendAsync(EventSubMessages.Request(secret, Notification,
            EventSubMessages.ChatMessage(channel.BroadcasterId, "424242", "yes")));
        Assert.Equal(HttpStatusCode.NoContent, vote.StatusCode);
        Assert.Equal(1, (await channel.NextSnapshotAsync()).For);
        Assert.Equal((1, 0), await channel.TotalsAsync());
    }

    private async Task WebhookAsync(Uri site, string secret, Random random, string text)
    {
        using var client = Utf8HeaderClient(site);
        var body = random.Next(4) switch
        {
            0 => EventSubMessages.ChatMessage("1", "2", text),
            1 => EventSubMessages.ChatMessage(text, "2", "yes"),
            2 => MalformedText.Json(random, text),
            _ => EventSubMessages.ChatMessage("1", text, "yes", messageId: text),
        };
        await CheckAsync($"webhook body {Show(body)}", client, EventSubMessages.Request(secret, Notification, body));

        var timestamp = MalformedText.Timestamps[random.Next(MalformedText.Timestamps.Length)];
        var stamped = EventSubMessages.Request(secret, Notification, EventSubMessages.ChatMessage("1", "2", "yes"));
        stamped.Headers.Remove(MessageTimestamp);
        stamped.Headers.TryAddWithoutValidation(MessageTimestamp, OneLine(timestamp));
        await CheckAsync($"webhook timestamp {Show(timestamp)}", client, stamped);

        var typed = EventSubMessages.Request(secret, random.Next(2) == 0 ? "" : OneLine(text), EventSubMessages.ChatMessage("1", "2", "yes"));
        await CheckAsync($"webhook message type {Show(text)}", client, typed);

        var bytes = new byte[random.Next(1, 2048)];
        random.NextBytes(bytes);
        var raw = EventSubMessages.Request(secret, Notification, "{}");
        raw.Content = new ByteArrayContent(bytes);
        raw.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await CheckAsync("webhook random bytes", client, raw);

        var method = new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options }[random.Next(5)];
        await CheckAsync($"webhook {method}", client, new HttpRequestMessage(method, TwitchExtensions.WebhookPath));
    }

    private async Task DashboardFormAsync(Visitor signedIn, Uri save, List<KeyValuePair<string, string>> fields, Random random, string text)
    {
        // The session and antiforgery cookies from another client address: the dashboard's per-IP limit stays out of it.
        using var visitor = new Visitor(signedIn.Site, signedIn.Cookies);
        var field = new[] { "Form.ForTriggers", "Form.AgainstTriggers", "Form.ForLabel", "Form.AgainstLabel", "Form.MemorySeconds", "Form.Theme" }[random.Next(6)];
        var changed = fields.Where(f => f.Key != field).Append(new(field, text)).ToList();
        if (random.Next(3) == 0)
        {
            var (first, second) = MalformedText.EqualishPairs[random.Next(MalformedText.EqualishPairs.Length)];
            changed = changed.Where(f => f.Key is not ("Form.ForTriggers" or "Form.AgainstTriggers"))
                .Append(new("Form.ForTriggers", first)).Append(new("Form.AgainstTriggers", second)).ToList();
        }

        await CheckAsync($"form url-encoded {field}={Show(text)}", visitor.Http, new HttpRequestMessage(HttpMethod.Post, save)
        {
            Content = new FormUrlEncodedContent(changed),
        });

        var multipart = new MultipartFormDataContent($"b{random.Next()}");
        foreach (var (name, value) in changed)
        {
            // Raw bytes, NUL and invalid UTF-8 included, as a browser or a script may send them.
            multipart.Add(new ByteArrayContent(name == field ? MalformedText.Bytes(random, text) : Encoding.UTF8.GetBytes(value)), name);
        }

        await CheckAsync($"form multipart {field}={Show(text)}", visitor.Http, new HttpRequestMessage(HttpMethod.Post, save) { Content = multipart });

        var content = new ByteArrayContent(MalformedText.Bytes(random, text));
        content.Headers.TryAddWithoutValidation("Content-Type", MalformedText.FormContentTypes[random.Next(MalformedText.FormContentTypes.Length)]);
        await CheckAsync($"form content type {content.Headers.ContentType}", visitor.Http, new HttpRequestMessage(HttpMethod.Post, save) { Content = content });
    }

    private async Task RawFramingAsync(Uri site, Uri save, string cookieHeader, Random random)
    {
        var (framing, body, halfClose, answerDue) = MalformedText.Framings[random.Next(MalformedText.Framings.Length)];
        var (target, extra) = random.Next(4) switch
        {
            0 => (TwitchExtensions.WebhookPath, new[] { $"{MessageId}: x", $"{MessageType}: notification", $"{MessageSignature}: sha256=00", $"{MessageTimestamp}: 2024-01-01T00:00:00Z" }),
            1 => (save.PathAndQuery, new[] { $"Cookie: {cookieHeader}", "Content-Type: application/x-www-form-urlencoded" }),
            2 => (save.PathAndQuery, new[] { $"Cookie: {cookieHeader}", "Content-Type: multipart/form-data; boundary=xyz" }),
            _ => ("/auth/logout", new[] { "Content-Type: application/x-www-form-urlencoded" }),
        };
        var request = RawHttp.Request("POST", target, [.. extra, .. framing], Encoding.Latin1.GetBytes(body));
        var status = await RawHttp.SendAsync(site, request, halfClose);
        Record($"raw {string.Join(" | ", framing)} to {target}", status, answerDue);
    }

    private async Task OverlayAndAuthAsync(Uri site, Random random, string text)
    {
        using var client = Utf8HeaderClient(site);
        var id = Uri.EscapeDataString(text);
        await CheckAsync($"overlay page {Show(text)}", client, new HttpRequestMessage(HttpMethod.Get, $"/overlay/{id}"));
        await CheckAsync($"overlay page {Guid.NewGuid()}", client, new HttpRequestMessage(HttpMethod.Get, $"/overlay/{Guid.NewGuid()}"));

        var socket = new HttpRequestMessage(HttpMethod.Get, $"/ws/overlay/{(random.Next(2) == 0 ? id : Guid.NewGuid().ToString())}");
        socket.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        socket.Headers.TryAddWithoutValidation("Upgrade", random.Next(2) == 0 ? "websocket" : OneLine(text));
        socket.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", random.Next(2) == 0 ? "13" : "8");
        if (random.Next(2) == 0)
        {
            socket.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", random.Next(2) == 0 ? "dGhlIHNhbXBsZSBub25jZQ==" : "%%%");
        }

        await CheckAsync($"overlay socket {Show(text)}", client, socket);

        var auth = random.Next(4) switch
        {
            0 => new HttpRequestMessage(HttpMethod.Get, $"/auth/callback?code={id}&state={id}"),
            1 => new HttpRequestMessage(HttpMethod.Get, $"/auth/login?returnUrl={id}"),
            2 => new HttpRequestMessage(HttpMethod.Post, "/auth/logout") { Content = new ByteArrayContent(MalformedText.Bytes(random, text)) },
            _ => new HttpRequestMessage(new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete }[random.Next(3)], "/auth/logout"),
        };
        if (auth.Content is { } authContent)
        {
            authContent.Headers.TryAddWithoutValidation("Content-Type", MalformedText.FormContentTypes[random.Next(MalformedText.FormContentTypes.Length)]);
        }

        await CheckAsync($"auth {auth.Method} {auth.RequestUri}", client, auth);
    }

    private async Task CheckAsync(string what, HttpClient client, HttpRequestMessage request)
    {
        int? status;
        try
        {
            using var response = await client.SendAsync(request);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = null;
        }
        finally
        {
            request.Dispose();
        }

        Record(what, status, answerDue: true);
    }

    private void Record(string what, int? status, bool answerDue)
    {
        _sent++;
        if (status >= 500 || (status is null && answerDue))
        {
            _failures.Add($"{status?.ToString() ?? "no answer"}: {what}");
        }
    }

    /// <summary>A client from an address of its own that sends non-ASCII header values as UTF-8 instead of refusing them.</summary>
    private static HttpClient Utf8HeaderClient(Uri site)
    {
        var handler = LoopbackClient.Handler(LoopbackClient.NextAddress());
        handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8;
        return new HttpClient(handler) { BaseAddress = site, Timeout = Waits.Short };
    }

    // A header value cannot hold a line break (HttpClient refuses to send one; the raw cases cover broken heads).
    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ').Replace('\0', ' ');

    private static string Show(string text) => Api.Platform.LogText.Sanitize(text.Length > 60 ? text[..60] : text);
}
