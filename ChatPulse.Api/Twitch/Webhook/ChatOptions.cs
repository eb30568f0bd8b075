namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>Webhook knobs (configuration section <c>Chat</c>); the defaults are what production runs.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>
    /// Per source IP and replica: requests per second the webhook admits (token bucket, refilled every 100 ms,
    /// burst of one second's worth). README, "Rate limit", explains the number.
    /// </summary>
    public int WebhookPermitsPerSecond { get; set; } = 20_000;

    /// <summary>Maps <c>POST /webhooks/eventsub-baseline</c> (verify the HMAC, answer 204) for the load tool. Off in production.</summary>
    public bool BaselineEndpoint { get; set; }
}

internal sealed class ChatOptionsValidator : IValidateOptions<ChatOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatOptions options) =>
        options.WebhookPermitsPerSecond is >= 10 and <= 1_000_000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Chat:WebhookPermitsPerSecond: must be 10–1000000 (was {options.WebhookPermitsPerSecond})");
}
