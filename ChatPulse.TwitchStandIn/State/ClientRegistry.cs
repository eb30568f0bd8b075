using System.Collections.Concurrent;

namespace ChatPulse.TwitchStandIn.State;

/// <summary>An app registered with the stand-in, as on Twitch's developer console.</summary>
public sealed record ClientRegistration(string ClientId, string ClientSecret, string RedirectUri, int PageSize);

/// <summary>Registered apps: the configured one, plus any a test registers through <c>/standin/clients</c>.</summary>
public sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, ClientRegistration> _clients = new(StringComparer.Ordinal);

    public bool TryAdd(ClientRegistration client) => _clients.TryAdd(client.ClientId, client);

    public ClientRegistration? Find(string? clientId) =>
        clientId is not null && _clients.TryGetValue(clientId, out var client) ? client : null;
}
