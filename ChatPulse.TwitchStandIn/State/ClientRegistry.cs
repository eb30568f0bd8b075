using System.Collections.Concurrent;

namespace ChatPulse.TwitchStandIn.State;

/// <summary>An app registered with the stand-in, as on Twitch's developer console.</summary>
public sealed record ClientRegistration(string ClientId, string ClientSecret, string RedirectUri, int PageSize);

/// <summary>Registered apps: the configured one, plus any a test registers through <c>/standin/clients</c>.</summary>
public sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, ClientRegistration> _clients = new(StringComparer.Ordinal);

    /// <summary>Raised after an app is registered or its registration replaced.</summary>
    public event Action? Changed;

    public bool TryAdd(ClientRegistration client)
    {
        var added = _clients.TryAdd(client.ClientId, client);
        if (added)
        {
            Changed?.Invoke();
        }

        return added;
    }

    /// <summary>Registers or replaces: the configured app's secret and redirect URI may differ from an earlier run's.</summary>
    public void Set(ClientRegistration client)
    {
        _clients[client.ClientId] = client;
        Changed?.Invoke();
    }

    public ClientRegistration? Find(string? clientId) =>
        clientId is not null && _clients.TryGetValue(clientId, out var client) ? client : null;

    public IReadOnlyList<ClientRegistration> All() => [.. _clients.Values];
}
