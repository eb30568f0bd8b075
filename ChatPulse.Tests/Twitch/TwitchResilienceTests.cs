using System.Net.Http.Json;
using ChatPulse.Api.Twitch.Clients;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Twitch;

/// <summary>Helix failures the client must ride out: 429 until Ratelimit-Reset, 5xx with backoff, 401 with a new token.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TwitchResilienceTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_429_waits_until_ratelimit_reset_before_trying_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TwitchPlumbingHost.StartAsync(fixture, time: clock);
        var api = host.Get<EventSubApi>();
        await api.ListConduitsAsync(CancellationToken.None); // token in hand
        await host.App.InjectFaultAsync(429, count: 1, resetAfterSeconds: 30);
        clock.SetUtcNow(DateTimeOffset.UtcNow); // in step with the stand-in's clock, which stamps Ratelimit-Reset

        var call = api.ListConduitsAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1)); // real time: the 429 arrived, and the call is waiting on the clock
        Assert.False(call.IsCompleted, "the call went on before Ratelimit-Reset");

        clock.Advance(TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(call.IsCompleted, "the call went on 10 s before Ratelimit-Reset");

        clock.Advance(TimeSpan.FromSeconds(12));
        var conduits = await call.WaitAsync(Waits.Short);
        Assert.Empty(conduits);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_until_twitch_answers()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var streamer = await host.AddStreamerAsync("fivexx");
        await host.App.InjectFaultAsync(503, count: 2);

        var outcome = await host.Get<SubscriptionManager>().SubscribeAsync(streamer, CancellationToken.None);

        Assert.Equal(SubscribeOutcome.Created, outcome);
        Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
    }

    [Fact]
    public async Task A_401_fetches_a_new_app_token_and_the_call_succeeds()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var tokens = host.Get<AppTokenProvider>();
        await host.Get<EventSubApi>().ListConduitsAsync(CancellationToken.None);
        var before = tokens.CurrentToken;
        await ExpireTokensAsync(host);

        var conduits = await host.Get<EventSubApi>().ListConduitsAsync(CancellationToken.None);

        Assert.Empty(conduits);
        Assert.NotNull(tokens.CurrentToken);
        Assert.NotEqual(before, tokens.CurrentToken);
    }

    [Fact]
    public async Task The_app_token_is_renewed_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TwitchPlumbingHost.StartAsync(fixture, time: clock);
        var tokens = host.Get<AppTokenProvider>();
        var first = await tokens.GetAsync(CancellationToken.None);
        var validation = await host.Get<TwitchAuthClient>().ValidateAsync(first, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(validation!.ExpiresIn * 0.85));
        var stillFirst = await tokens.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(validation.ExpiresIn * 0.06));
        var renewed = await tokens.GetAsync(CancellationToken.None);

        Assert.Equal(first, stillFirst);
        Assert.NotEqual(first, renewed);
    }

    [Fact]
    public async Task Hourly_validation_drops_a_token_twitch_no_longer_accepts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TwitchPlumbingHost.StartAsync(fixture, time: clock, validation: true);
        var tokens = host.Get<AppTokenProvider>();
        await Waits.Until(() => Task.FromResult(tokens.CurrentToken is not null), Waits.Short, "the start-up validation");
        await ExpireTokensAsync(host);

        // The start-up validation may still be on its way back when the token appears, so its hourly timer may not be
        // set yet: keep moving the clock an hour on until the next validation has run and dropped the token.
        await Waits.Until(() =>
        {
            if (tokens.CurrentToken is null)
            {
                return Task.FromResult(true);
            }

            clock.Advance(AppTokenValidation.Interval);
            return Task.FromResult(false);
        }, Waits.Short, "the hourly validation to drop the token");
    }

    private static async Task ExpireTokensAsync(TwitchPlumbingHost host)
    {
        using var response = await host.App.Http.PostAsJsonAsync("/standin/tokens/expire", new { client_id = host.App.ClientId });
        response.EnsureSuccessStatusCode();
    }
}
