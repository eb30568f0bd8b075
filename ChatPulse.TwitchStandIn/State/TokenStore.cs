using System.Security.Cryptography;

namespace ChatPulse.TwitchStandIn.State;

/// <summary>An access token; <see cref="UserId"/> is null for an app access token.</summary>
public sealed record AccessToken(string Value, string ClientId, string? UserId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

public sealed record AuthorizationCode(string ClientId, string UserId, IReadOnlyList<string> Scopes, string RedirectUri, DateTimeOffset ExpiresAt);

public sealed record RefreshGrant(string ClientId, string UserId, IReadOnlyList<string> Scopes);

public enum RevokeOutcome { Revoked, UnknownToken, WrongClient }

/// <summary>Authorization codes (single use, 10 minutes), access tokens and refresh tokens.</summary>
public sealed class TokenStore(IOptions<StandInOptions> options, TimeProvider time)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessToken> _access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> _refresh = new(StringComparer.Ordinal);

    public string IssueCode(string clientId, string userId, IReadOnlyList<string> scopes, string redirectUri)
    {
        var code = NewSecret();
        lock (_lock)
        {
            _codes[code] = new AuthorizationCode(clientId, userId, scopes, redirectUri, time.GetUtcNow() + CodeLifetime);
        }

        return code;
    }

    /// <summary>Takes the code out (a code works once); null when unknown or expired.</summary>
    public AuthorizationCode? RedeemCode(string code)
    {
        lock (_lock)
        {
            return _codes.Remove(code, out var found) && found.ExpiresAt > time.GetUtcNow() ? found : null;
        }
    }

    public (AccessToken Access, string Refresh) IssueUserToken(string clientId, string userId, IReadOnlyList<string> scopes, string? refresh = null)
    {
        var access = new AccessToken(NewSecret(), clientId, userId, scopes,
            time.GetUtcNow().AddSeconds(options.Value.UserTokenLifetimeSeconds));
        refresh ??= NewSecret(50);
        lock (_lock)
        {
            _access[access.Value] = access;
            _refresh[refresh] = new RefreshGrant(clientId, userId, scopes);
        }

        return (access, refresh);
    }

    public AccessToken IssueAppToken(string clientId)
    {
        var access = new AccessToken(NewSecret(), clientId, null, [], time.GetUtcNow().AddSeconds(options.Value.AppTokenLifetimeSeconds));
        lock (_lock)
        {
            _access[access.Value] = access;
        }

        return access;
    }

    public RefreshGrant? FindRefresh(string refresh)
    {
        lock (_lock)
        {
            return _refresh.GetValueOrDefault(refresh);
        }
    }

    /// <summary>The token if it exists and has not expired.</summary>
    public AccessToken? Find(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        lock (_lock)
        {
            return _access.TryGetValue(value, out var token) && token.ExpiresAt > time.GetUtcNow() ? token : null;
        }
    }

    public RevokeOutcome Revoke(string value, string clientId)
    {
        lock (_lock)
        {
            if (_access.TryGetValue(value, out var token))
            {
                if (token.ClientId != clientId)
                {
                    return RevokeOutcome.WrongClient;
                }

                _access.Remove(value);
                return RevokeOutcome.Revoked;
            }

            if (_refresh.TryGetValue(value, out var grant))
            {
                if (grant.ClientId != clientId)
                {
                    return RevokeOutcome.WrongClient;
                }

                _refresh.Remove(value);
                return RevokeOutcome.Revoked;
            }

            return RevokeOutcome.UnknownToken;
        }
    }

    /// <summary>Test switch: every access token of the app expires now (the next Helix call answers 401).</summary>
    public int ExpireAll(string clientId)
    {
        lock (_lock)
        {
            var expired = _access.Values.Where(t => t.ClientId == clientId).ToList();
            foreach (var token in expired)
            {
                _access[token.Value] = token with { ExpiresAt = time.GetUtcNow().AddSeconds(-1) };
            }

            return expired.Count;
        }
    }

    public int SecondsLeft(AccessToken token) => (int)Math.Max(0, (token.ExpiresAt - time.GetUtcNow()).TotalSeconds);

    /// <summary>Lower-case letters and digits, like Twitch's 30-character tokens.</summary>
    private static string NewSecret(int length = 30) =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", length);
}
