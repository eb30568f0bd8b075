using System.Text.RegularExpressions;

namespace ChatPulse.TwitchStandIn.State;

public sealed record TwitchUser(string Id, string Login, string DisplayName, DateTimeOffset CreatedAt);

/// <summary>The scopes one user has granted one app.</summary>
public sealed record Grant(string UserId, string ClientId, IReadOnlyList<string> Scopes);

/// <summary>Everything the directory knows, as <see cref="StateFile"/> keeps it between runs.</summary>
public sealed record UserDirectorySnapshot(long NextId, IReadOnlyList<TwitchUser> Users, IReadOnlyList<Grant> Grants);

/// <summary>Test users and what each has granted to which app. The bot has granted its chat scopes to every app.</summary>
public sealed partial class UserDirectory(IOptions<StandInOptions> options, TimeProvider time)
{
    public static readonly string[] BotScopes = ["user:read:chat", "user:bot"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TwitchUser> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TwitchUser> _byLogin = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string UserId, string ClientId), HashSet<string>> _grants = [];
    private long _nextId = 200_000_001;

    /// <summary>Raised after a user is created or a grant changes (outside the lock).</summary>
    public event Action? Changed;

    public static bool IsValidLogin(string? login) => login is not null && LoginRule().IsMatch(login);

    public static bool IsNumericId(string? id) => id is { Length: > 0 and <= 20 } && id.All(char.IsAsciiDigit);

    /// <summary>Creates a user; the login must be new. <paramref name="id"/> is generated unless given.</summary>
    public TwitchUser Create(string login, string? displayName = null, string? id = null)
    {
        if (!IsValidLogin(login))
        {
            throw new ArgumentException("login must be 3–25 letters, digits or underscores", nameof(login));
        }

        TwitchUser user;
        lock (_lock)
        {
            if (_byLogin.ContainsKey(login) || (id is not null && _byId.ContainsKey(id)))
            {
                throw new InvalidOperationException($"user '{login}' already exists");
            }

            while (id is null || _byId.ContainsKey(id))
            {
                id = (_nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var lower = login.ToLowerInvariant();
            user = new TwitchUser(id, lower, displayName ?? char.ToUpperInvariant(lower[0]) + lower[1..], time.GetUtcNow());
            _byId[id] = user;
            _byLogin[lower] = user;
        }

        Changed?.Invoke();
        return user;
    }

    public TwitchUser GetOrCreate(string login)
    {
        lock (_lock)
        {
            return FindByLogin(login) ?? Create(login);
        }
    }

    public TwitchUser? FindById(string? id)
    {
        lock (_lock)
        {
            return id is not null && _byId.TryGetValue(id, out var user) ? user : null;
        }
    }

    public TwitchUser? FindByLogin(string? login)
    {
        lock (_lock)
        {
            return login is not null && _byLogin.TryGetValue(login, out var user) ? user : null;
        }
    }

    /// <summary>By numeric id, else by login.</summary>
    public TwitchUser? Find(string? loginOrId) => IsNumericId(loginOrId) ? FindById(loginOrId) ?? FindByLogin(loginOrId) : FindByLogin(loginOrId);

    public IReadOnlyList<TwitchUser> All()
    {
        lock (_lock)
        {
            return [.. _byId.Values.OrderBy(u => u.Login, StringComparer.Ordinal)];
        }
    }

    public void Grant(string userId, string clientId, IEnumerable<string> scopes)
    {
        lock (_lock)
        {
            if (!_grants.TryGetValue((userId, clientId), out var granted))
            {
                _grants[(userId, clientId)] = granted = new HashSet<string>(StringComparer.Ordinal);
            }

            granted.UnionWith(scopes);
        }

        Changed?.Invoke();
    }

    /// <summary>The user disconnects the app (Twitch revokes its subscriptions with <c>authorization_revoked</c>).</summary>
    public void RevokeGrant(string userId, string clientId)
    {
        lock (_lock)
        {
            _grants.Remove((userId, clientId));
        }

        Changed?.Invoke();
    }

    public bool HasGranted(string userId, string clientId, string scope)
    {
        if (userId == options.Value.BotUserId && BotScopes.Contains(scope))
        {
            return true;
        }

        lock (_lock)
        {
            return _grants.TryGetValue((userId, clientId), out var granted) && granted.Contains(scope);
        }
    }

    public UserDirectorySnapshot Export()
    {
        lock (_lock)
        {
            return new UserDirectorySnapshot(_nextId, [.. _byId.Values],
                [.. _grants.Select(g => new Grant(g.Key.UserId, g.Key.ClientId, [.. g.Value]))]);
        }
    }

    /// <summary>Replaces the directory with a snapshot from an earlier run, so ids are not handed out twice.</summary>
    public void Restore(UserDirectorySnapshot snapshot)
    {
        lock (_lock)
        {
            _byId.Clear();
            _byLogin.Clear();
            _grants.Clear();
            foreach (var user in snapshot.Users)
            {
                _byId[user.Id] = user;
                _byLogin[user.Login] = user;
            }

            foreach (var grant in snapshot.Grants)
            {
                _grants[(grant.UserId, grant.ClientId)] = new HashSet<string>(grant.Scopes, StringComparer.Ordinal);
            }

            _nextId = snapshot.NextId;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{3,25}$")]
    private static partial Regex LoginRule();
}
