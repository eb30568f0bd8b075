using System.Security.Claims;
using ChatPulse.Api.Accounts;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatPulse.Tests.Accounts;

/// <summary>First-login announcements against the real store: every handler runs once, a failing one does not stop the login.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StreamerSignInTests(AppHostFixture fixture)
{
    private sealed class Recording : IStreamerConnectedHandler
    {
        public List<Streamer> Seen { get; } = [];

        public Task OnStreamerConnectedAsync(Streamer streamer, CancellationToken cancellationToken)
        {
            Seen.Add(streamer);
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : IStreamerConnectedHandler
    {
        public Task OnStreamerConnectedAsync(Streamer streamer, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Twitch is down");
    }

    [Fact]
    public async Task First_login_announces_to_every_handler_even_when_one_throws_and_later_logins_only_when_reconnecting()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.DatabaseConnectionString);
        var recording = new Recording();
        var sessions = new SessionStore(dataSource, TimeProvider.System, Options.Create(new SecurityOptions()));
        var store = new StreamerStore(dataSource);
        var signIn = new StreamerSignIn(store, sessions, [new Failing(), recording],
            new AuditLog(NullLoggerFactory.Instance), NullLogger<StreamerSignIn>.Instance);
        var twitchId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();

        var identity = new ClaimsIdentity("Twitch");
        var first = await signIn.SignInAsync(identity, twitchId, "newcomer", "Newcomer", default);
        var second = await signIn.SignInAsync(new ClaimsIdentity("Twitch"), twitchId, "renamed", "Renamed", default);

        Assert.Equal(first.Id, Assert.Single(recording.Seen).Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(("renamed", "Renamed"), (second.Login, second.DisplayName));
        Assert.Equal(first.Id, new ClaimsPrincipal(identity).GetStreamerId());
        Assert.Equal(twitchId, identity.FindFirst(StreamerClaims.TwitchUserId)?.Value);
        Assert.True(await sessions.IsActiveAsync(new ClaimsPrincipal(identity).GetSessionId()!.Value, first.Id, default));

        await store.MarkNeedsReconnectAsync(first.Id, "authorization_revoked", default);
        await signIn.SignInAsync(new ClaimsIdentity("Twitch"), twitchId, "renamed", "Renamed", default);
        Assert.Equal(2, recording.Seen.Count); // the reconnecting login announced the streamer again
    }
}
