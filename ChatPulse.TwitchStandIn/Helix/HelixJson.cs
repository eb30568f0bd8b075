using System.Text.Json;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>Reads a JSON request body; malformed JSON gets Helix's 400 instead of an empty framework answer.</summary>
public static class HelixJson
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, HelixError.BadRequest("The request body must be JSON (Content-Type: application/json)"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, StandInExtensions.Json, request.HttpContext.RequestAborted);
            return value is null ? (null, HelixError.BadRequest("The request body is empty")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, HelixError.BadRequest($"Malformed request body: {e.Message}"));
        }
    }
}
