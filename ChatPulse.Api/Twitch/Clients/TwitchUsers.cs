using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatPulse.Api.Twitch.Clients;

/// <summary>Who logged in: Helix <c>GET /users</c> with the user's own token answers that user.</summary>
internal static class TwitchUsers
{
    internal sealed record HelixUser(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("login")] string Login,
        [property: JsonPropertyName("display_name")] string? DisplayName);

    private sealed record UsersResponse([property: JsonPropertyName("data")] List<HelixUser>? Data);

    public static async Task<HelixUser> GetCurrentAsync(HttpClient backchannel, string usersEndpoint, string clientId,
        string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, usersEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("Client-Id", clientId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await backchannel.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Helix GET /users answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var users = await JsonSerializer.DeserializeAsync<UsersResponse>(body, cancellationToken: cancellationToken);
        var user = users?.Data?.FirstOrDefault();
        if (user is null || string.IsNullOrWhiteSpace(user.Id) || string.IsNullOrWhiteSpace(user.Login))
        {
            throw new InvalidOperationException("Helix GET /users returned no user for the token.");
        }

        return user;
    }
}
