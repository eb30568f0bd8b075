using System.Text.Json;

namespace ChatPulse.Api.Twitch.Clients;

/// <summary>Twitch's JSON: snake_case names; unknown fields ignored (Twitch adds fields without notice).</summary>
internal static class TwitchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}

/// <summary>A Twitch answer that is not what the call needed: the status and Twitch's <c>message</c>.</summary>
public sealed class TwitchApiException(string operation, int status, string message)
    : Exception($"{operation}: Twitch answered {status}: {message}")
{
    public int Status { get; } = status;

    public string TwitchMessage { get; } = message;

    /// <summary>Worth trying again later: 429, 5xx.</summary>
    public bool IsTransient => Status is 429 or >= 500;

    internal static async Task<TwitchApiException> FromAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): keep the raw text, cut short.
        }

        return new TwitchApiException(operation, (int)response.StatusCode, message.Length > 300 ? message[..300] : message);
    }
}
