namespace ChatPulse.Api.Twitch.Clients;

/// <summary>
/// The app access token for EventSub: fetched by client credentials, renewed before it expires (at 90 % of its
/// lifetime) and whenever Helix or validation says it is no longer valid.
/// </summary>
public sealed class AppTokenProvider(TwitchAuthClient auth, TimeProvider time, ILogger<AppTokenProvider> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    private volatile Current? _current;

    private sealed record Current(string Token, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt);

    /// <summary>The token in use, if any (for diagnostics and tests).</summary>
    public string? CurrentToken => _current?.Token;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetUtcNow() < current.RenewAt)
        {
            return current.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && time.GetUtcNow() < fresh.RenewAt)
            {
                return fresh.Token;
            }

            var issued = await auth.RequestAppTokenAsync(cancellationToken);
            var now = time.GetUtcNow();
            var lifetime = TimeSpan.FromSeconds(Math.Max(1, issued.ExpiresIn));
            lock (_lock)
            {
                _current = new Current(issued.AccessToken, now + lifetime * 0.9, now + lifetime);
            }

            logger.LogInformation("Got a new Twitch app access token, valid for {Lifetime}", lifetime);
            return issued.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> (Twitch rejected it); the next <see cref="GetAsync"/> fetches a new one.</summary>
    public void Invalidate(string token)
    {
        lock (_lock)
        {
            if (_current?.Token == token)
            {
                _current = null;
                logger.LogWarning("Twitch rejected the app access token; a new one will be fetched");
            }
        }
    }

    /// <summary>
    /// Twitch's rule for kept tokens: validate at start-up and hourly. An invalid token is dropped; a valid one's
    /// expiry is corrected from the answer.
    /// </summary>
    public async Task ValidateAsync(CancellationToken cancellationToken)
    {
        var token = await GetAsync(cancellationToken);
        var validation = await auth.ValidateAsync(token, cancellationToken);
        if (validation is null)
        {
            Invalidate(token);
            return;
        }

        var now = time.GetUtcNow();
        var left = TimeSpan.FromSeconds(Math.Max(0, validation.ExpiresIn));
        lock (_lock)
        {
            if (_current?.Token == token)
            {
                _current = new Current(token, now + left * 0.9, now + left);
            }
        }
    }

    public void Dispose() => _gate.Dispose();
}
