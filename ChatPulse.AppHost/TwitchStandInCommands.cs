using System.Net.Http.Json;
using System.Text.Json;

namespace ChatPulse.AppHost;

/// <summary>
/// Dashboard buttons on the <c>twitch</c> resource for what a developer does all day: say a vote in a channel,
/// re-deliver the last batch, revoke a channel's subscription, expire the API's tokens. Each calls the stand-in's
/// own <c>/chat</c> and <c>/standin</c> endpoints and shows what the stand-in answered.
/// </summary>
public static class TwitchStandInCommands
{
    public const string Say = "say-vote";
    public const string Redeliver = "redeliver-last";
    public const string Revoke = "revoke-subscription";
    public const string ExpireTokens = "expire-tokens";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Revocation reasons offered first; the stand-in accepts Twitch's whole list.</summary>
    private static readonly string[] Reasons = ["authorization_revoked", "user_removed", "notification_failures_exceeded", "version_removed"];

    public static IResourceBuilder<ProjectResource> WithStandInCommands(this IResourceBuilder<ProjectResource> standIn, IResourceBuilder<ParameterResource> clientId)
    {
        var endpoint = standIn.GetEndpoint("http");
        return standIn
            .WithCommand(Say, "Say a vote", context => PostAsync(endpoint, "/chat/say", new
            {
                broadcaster = context.Arguments.GetString("channel"),
                chatter = $"viewer{Random.Shared.Next(100_000, 1_000_000)}",
                text = context.Arguments.GetString("text"),
            }, context.CancellationToken), new CommandOptions
            {
                Description = "A new viewer says the for or against trigger in a channel (the defaults are yes / no; type the channel's own).",
                IconName = "Chat",
                Arguments = [ChannelInput(), new InteractionInput
                {
                    Name = "text", Label = "Message", InputType = InputType.Choice, Required = true, AllowCustomChoice = true,
                    Options = [new("yes", "yes (the default for)"), new("no", "no (the default against)")], Value = "yes",
                }],
            })
            .WithCommand(Redeliver, "Re-deliver last batch", context => PostAsync(endpoint, "/chat/redeliver", new { }, context.CancellationToken,
                    nothing: "Nothing to re-deliver: nothing was said yet, or the last message matched no subscription."),
                new CommandOptions
                {
                    Description = "Sends the last chat batch again with the same message ids, as Twitch may (the API must count it once).",
                    IconName = "ArrowRepeatAll",
                })
            .WithCommand(Revoke, "Revoke subscription", context => PostAsync(endpoint, "/chat/revoke", new
            {
                broadcaster = context.Arguments.GetString("channel"),
                reason = context.Arguments.GetString("reason"),
            }, context.CancellationToken), new CommandOptions
            {
                Description = "Twitch revokes the channel's chat subscription and tells the API (authorization_revoked also withdraws the grant).",
                ConfirmationMessage = "Revoke this channel's chat subscription? Its votes stop until the API subscribes again.",
                IconName = "PlugDisconnected",
                Arguments = [ChannelInput(), new InteractionInput
                {
                    Name = "reason", Label = "Reason", InputType = InputType.Choice, Required = true, AllowCustomChoice = true,
                    Options = [.. Reasons.Select(r => new KeyValuePair<string, string>(r, r))], Value = Reasons[0],
                }],
            })
            .WithCommand(ExpireTokens, "Expire the API's tokens", async context => await PostAsync(endpoint, "/standin/tokens/expire",
                new { client_id = await clientId.Resource.GetValueAsync(context.CancellationToken) }, context.CancellationToken),
                new CommandOptions
                {
                    Description = "Every access token of the API's app expires now: its next Helix call gets 401 and must fetch a new one.",
                    ConfirmationMessage = "Expire every access token of the API's Twitch app?",
                    IconName = "KeyReset",
                });
    }

    private static InteractionInput ChannelInput() => new()
    {
        Name = "channel", Label = "Channel", InputType = InputType.Text, Required = true, Placeholder = "the streamer's login",
    };

    private static async Task<ExecuteCommandResult> PostAsync(EndpointReference endpoint, string path, object body, CancellationToken cancellationToken,
        string nothing = "Nothing delivered: no subscription matched.")
    {
        using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return CommandResults.Failure(ProblemDetail(answer) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}");
        }

        using var json = JsonDocument.Parse(answer);
        if (json.RootElement.TryGetProperty("expired", out var expired))
        {
            return CommandResults.Success($"{expired.GetInt32()} tokens expired.", answer, CommandResultFormat.Json);
        }

        // A delivery nobody accepted is a failed button press: the developer sees why in the answer.
        var deliveries = json.RootElement.GetProperty("deliveries").EnumerateArray().ToList();
        var accepted = deliveries.Count(d => d.GetProperty("status") is { ValueKind: JsonValueKind.Number } s && s.GetInt32() is >= 200 and < 300);
        return accepted > 0
            ? CommandResults.Success($"{accepted} of {deliveries.Count} deliveries accepted by the webhook.", answer, CommandResultFormat.Json)
            : CommandResults.Failure(deliveries.Count == 0 ? nothing : "No delivery was accepted by the webhook.",
                answer, CommandResultFormat.Json);
    }

    private static string? ProblemDetail(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
