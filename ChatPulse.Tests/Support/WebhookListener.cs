using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatPulse.Tests.Support;

/// <summary>An EventSub delivery as received: headers and the raw body bytes.</summary>
public sealed record ReceivedDelivery(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public string MessageType => Header("Twitch-Eventsub-Message-Type");

    public string MessageId => Header("Twitch-Eventsub-Message-Id");

    public JsonDocument Json() => JsonDocument.Parse(Body);
}

public enum ChallengeAnswer { Echo, WrongBody, NotFound }

/// <summary>
/// A real HTTP listener on loopback standing in for the webhook endpoint in tests: records every delivery and
/// answers challenges as told. Test-only: the API's own endpoint belongs to the webhook feature.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedDelivery> _received = [];

    private WebhookListener(WebApplication app) => _app = app;

    public Uri Callback { get; private set; } = null!;

    public ChallengeAnswer Challenges { get; set; } = ChallengeAnswer.Echo;

    public int NotificationStatus { get; set; } = StatusCodes.Status204NoContent;

    public IReadOnlyList<ReceivedDelivery> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/webhooks/eventsub", listener.HandleAsync);
        await app.StartAsync();
        listener.Callback = new Uri(new Uri(app.Urls.First()), "/webhooks/eventsub");
        return listener;
    }

    public async Task<ReceivedDelivery> WaitForAsync(Func<ReceivedDelivery, bool> match, string what)
    {
        ReceivedDelivery? found = null;
        await Waits.Until(() => Task.FromResult((found = Received.FirstOrDefault(match)) is not null), Waits.Short, what);
        return found!;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var delivery = new ReceivedDelivery(
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray());
        lock (_received)
        {
            _received.Add(delivery);
        }

        if (delivery.MessageType != "webhook_callback_verification")
        {
            return Results.StatusCode(NotificationStatus);
        }

        using var body = delivery.Json();
        var challenge = body.RootElement.GetProperty("challenge").GetString()!;
        return Challenges switch
        {
            ChallengeAnswer.Echo => Results.Text(challenge, "text/plain", Encoding.UTF8),
            ChallengeAnswer.WrongBody => Results.Text(challenge + "-not", "text/plain", Encoding.UTF8),
            _ => Results.NotFound(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
