using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatPulse.Api.Infrastructure.Settings;

namespace ChatPulse.Api.Twitch.Clients;

/// <summary>The OAuth API (<c>id.twitch.tv</c>, or the stand-in): app tokens by client credentials, and validation.</summary>
public sealed class TwitchAuthClient(HttpClient http, IOptions<TwitchOptions> options)
{
    public sealed record TokenResponse(string AccessToken, int ExpiresIn, string TokenType);

    public sealed record ValidationResponse(string ClientId, string? Login, string? UserId, IReadOnlyList<string>? Scopes, int ExpiresIn);

    public async Task<TokenResponse> RequestAppTokenAsync(CancellationToken cancellationToken)
    {
        var twitch = options.Value;
        using var response = await http.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = twitch.ClientId,
            ["client_secret"] = twitch.ClientSecret,
            ["grant_type"] = "client_credentials",
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await TwitchApiException.FromAsync("app access token", response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<TokenResponse>(TwitchJson.Options, cancellationToken)
            ?? throw new TwitchApiException("app access token", (int)response.StatusCode, "empty body");
    }

    /// <summary>Twitch's validate endpoint; null when the token is no longer valid (401).</summary>
    public async Task<ValidationResponse?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "oauth2/validate");
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await TwitchApiException.FromAsync("validate token", response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<ValidationResponse>(TwitchJson.Options, cancellationToken);
    }
}
