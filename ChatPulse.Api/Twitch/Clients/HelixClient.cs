using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ChatPulse.Api.Infrastructure.Settings;

namespace ChatPulse.Api.Twitch.Clients;

/// <summary>
/// Helix transport: every call carries <c>Client-Id</c> and the app token. A 401 drops the token and tries once
/// more with a new one; a 429 waits until <c>Ratelimit-Reset</c> (the standard resilience handler retries 5xx
/// and network errors with backoff, but is told to leave 429 to this wait — see <see cref="TwitchExtensions"/>).
/// </summary>
public sealed class HelixClient(HttpClient http, AppTokenProvider tokens, IOptions<TwitchOptions> options, TimeProvider time, ILogger<HelixClient> logger)
{
    /// <summary>How many times one call waits out a 429 before giving up with the 429.</summary>
    public const int MaxRateLimitWaits = 5;

    private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FallbackWait = TimeSpan.FromSeconds(1);

    /// <summary>Sends the request <paramref name="build"/> makes (again on each try); the caller disposes the answer.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var renewed = false;
        var waits = 0;
        while (true)
        {
            var token = await tokens.GetAsync(cancellationToken);
            using var request = build();
            request.Headers.Add("Client-Id", options.Value.ClientId);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await http.SendAsync(request, cancellationToken);

            if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed)
            {
                response.Dispose();
                tokens.Invalidate(token);
                renewed = true;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests && waits < MaxRateLimitWaits)
            {
                var delay = UntilReset(response);
                response.Dispose();
                waits++;
                logger.LogWarning("Helix rate limit hit on {Method} {Path}; waiting {Delay} until Ratelimit-Reset",
                    request.Method, request.RequestUri, delay);
                await Task.Delay(delay, time, cancellationToken);
                continue;
            }

            return response;
        }
    }

    /// <summary>Time until the bucket refills, from <c>Ratelimit-Reset</c> (Unix seconds).</summary>
    private TimeSpan UntilReset(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Ratelimit-Reset", out var values)
            || !long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            return FallbackWait;
        }

        var delay = DateTimeOffset.FromUnixTimeSeconds(reset) - time.GetUtcNow() + ResetMargin;
        return delay <= TimeSpan.Zero ? ResetMargin : delay > MaxWait ? MaxWait : delay;
    }
}
