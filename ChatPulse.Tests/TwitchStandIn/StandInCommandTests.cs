using System.Net.Http.Headers;
using ChatPulse.Api.Overlay;
using ChatPulse.AppHost;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>The dashboard buttons on the <c>twitch</c> resource, pressed through Aspire's resource command service.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StandInCommandTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Say_vote_counts_a_vote_and_redeliver_sends_it_again_without_counting_it_twice()
    {
        var (login, broadcasterId) = await SignInStreamerAsync();
        await new OverlayPresence(fixture.Redis, TimeProvider.System).HeartbeatAsync(broadcasterId, "test-overlay", 1, 1, default);
        await using var channel = await VoteTestChannel.WatchAsync(fixture.Redis, broadcasterId);

        await SayUntilDeliveredAsync(login, "yes");
        var snapshot = await channel.NextSnapshotAsync();
        var redelivered = await ExecuteAsync(TwitchStandInCommands.Redeliver);

        Assert.Equal((1L, 0L), (snapshot.For, snapshot.Against));
        Assert.True(redelivered.Success, redelivered.Message);
        Assert.Contains("\"retry\":1", redelivered.Data?.Value ?? "");
        Assert.Equal((1, 0), await channel.TotalsAsync());
    }

    [Fact]
    public async Task Revoke_subscription_tells_the_api_which_marks_the_streamer_reconnect_and_chat_no_longer_arrives()
    {
        var (login, _) = await SignInStreamerAsync();
        await SayUntilDeliveredAsync(login, "no");

        var revoked = await ExecuteAsync(TwitchStandInCommands.Revoke, ("channel", login), ("reason", "authorization_revoked"));

        Assert.True(revoked.Success, revoked.Message);
        await Waits.Until(async () =>
        {
            await using var command = fixture.Database.CreateCommand("SELECT needs_reconnect FROM streamers WHERE login = $1");
            command.Parameters.AddWithValue(login);
            return (bool)(await command.ExecuteScalarAsync())!;
        }, Waits.Short, $"{login} to be marked reconnect");
        var said = await ExecuteAsync(TwitchStandInCommands.Say, ("channel", login), ("text", "yes"));
        Assert.False(said.Success);
        Assert.Equal("Nothing delivered: no subscription matched.", said.Message);
    }

    [Fact]
    public async Task Expire_tokens_makes_the_stand_in_refuse_the_apis_current_app_token()
    {
        using var issued = await fixture.TwitchStandIn.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = fixture.ApiEnvironment["TWITCH_CLIENT_ID"], ["client_secret"] = fixture.ApiEnvironment["TWITCH_CLIENT_SECRET"],
            ["grant_type"] = "client_credentials",
        }));
        using var token = await StandInApp.ReadJsonAsync(issued);
        var appToken = token.RootElement.GetProperty("access_token").GetString()!;

        var expired = await ExecuteAsync(TwitchStandInCommands.ExpireTokens);

        Assert.True(expired.Success, expired.Message);
        using var validate = new HttpRequestMessage(HttpMethod.Get, "/oauth2/validate");
        validate.Headers.Authorization = new AuthenticationHeaderValue("OAuth", appToken);
        using var validated = await fixture.TwitchStandIn.SendAsync(validate);
        Assert.Equal(HttpStatusCode.Unauthorized, validated.StatusCode);
    }

    [Fact]
    public void The_destructive_commands_ask_for_confirmation_and_the_others_do_not()
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var twitch = model.Resources.Single(r => r.Name == "twitch");
        var confirmations = twitch.Annotations.OfType<ResourceCommandAnnotation>()
            .Where(c => c.Name is TwitchStandInCommands.Say or TwitchStandInCommands.Redeliver or TwitchStandInCommands.Revoke or TwitchStandInCommands.ExpireTokens)
            .ToDictionary(c => c.Name, c => c.ConfirmationMessage is not null);

        Assert.Equal(new Dictionary<string, bool>
        {
            [TwitchStandInCommands.Say] = false, [TwitchStandInCommands.Redeliver] = false,
            [TwitchStandInCommands.Revoke] = true, [TwitchStandInCommands.ExpireTokens] = true,
        }, confirmations);
    }

    private async Task<(string Login, string BroadcasterId)> SignInStreamerAsync()
    {
        var replica = await ApiInstance.SharedAsync(fixture);
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "cmd");
        visitor.Dispose();
        return (streamer.Login, streamer.TwitchUserId);
    }

    // The bot's subscription is made just after login: press "Say a vote" until a delivery is accepted.
    private async Task SayUntilDeliveredAsync(string login, string text) =>
        await Waits.Until(async () => (await ExecuteAsync(TwitchStandInCommands.Say, ("channel", login), ("text", text))).Success,
            Waits.Short, $"the say command to reach {login}'s webhook");

    private Task<ExecuteCommandResult> ExecuteAsync(string command, params (string Name, string Value)[] arguments)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var inputs = new InteractionInputCollection([.. arguments.Select(a => new InteractionInput { Name = a.Name, InputType = InputType.Text, Value = a.Value })]);
        return commands.ExecuteCommandAsync("twitch", command, inputs, CancellationToken.None);
    }
}
