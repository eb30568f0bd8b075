using ChatPulse.Tests.Support;
using ChatPulse.TwitchStandIn;
using ChatPulse.TwitchStandIn.Control;
using ChatPulse.TwitchStandIn.Helix;
using ChatPulse.TwitchStandIn.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>
/// The stand-in with a state file (<c>StandIn:StateFile</c>), hosted in-process on a loopback port and restarted:
/// the users, their ids and grants, and the registered apps are those of the run before.
/// </summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"chatpulse-standin-{Guid.NewGuid():N}");

    private string StateFile => Path.Combine(_directory, "state.json");

    [Fact]
    public async Task Users_their_ids_and_grants_and_registered_apps_survive_a_restart()
    {
        var login = StandInApp.UniqueLogin("streamer");
        string clientId, clientSecret, streamerId;
        await using (var first = await StartAsync())
        {
            using var app = await StandInApp.RegisterAsync(first.Address);
            (clientId, clientSecret) = (app.ClientId, app.ClientSecret);
            streamerId = await app.CreateUserAsync(login);
        }

        await using var second = await StartAsync();
        using var again = StandInApp.Existing(second.Address, clientId, clientSecret);
        using var users = await again.HelixAsync(HttpMethod.Get, $"/users?login={login}");
        using var found = await StandInApp.ReadJsonAsync(users);
        Assert.Equal(streamerId, found.RootElement.GetProperty("data")[0].GetProperty("id").GetString());

        // What the API's reconciliation does after a restart: the stored broadcaster id is valid and still granted.
        var conduit = await again.CreateConduitAsync();
        using var subscribed = await again.SubscribeChatAsync(conduit, streamerId, "100000001");
        Assert.Equal(HttpStatusCode.Accepted, subscribed.StatusCode);

        // A new user gets a new id, not the restored streamer's.
        var newcomer = await again.CreateUserAsync(StandInApp.UniqueLogin("newcomer"));
        Assert.True(long.Parse(newcomer) > long.Parse(streamerId), $"{newcomer} was handed out after {streamerId}");
    }

    [Fact]
    public async Task A_corrupt_state_file_is_set_aside_and_the_stand_in_starts_empty()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(StateFile, "{\"directory\": {\"next_id\": [not json");

        await using var standIn = await StartAsync();
        using var app = await StandInApp.RegisterAsync(standIn.Address);
        var id = await app.CreateUserAsync(StandInApp.UniqueLogin("streamer"));

        Assert.Equal("200000001", id);
        Assert.StartsWith("{\"directory\": {\"next_id\": [not json", await File.ReadAllTextAsync(StateFile + ".unreadable"));
        Assert.Contains(app.ClientId, await File.ReadAllTextAsync(StateFile));
    }

    /// <summary>The stand-in's own composition (Program.cs) with the state file in this test's folder.</summary>
    private async Task<StandIn> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["StandIn:StateFile"] = StateFile;
        builder.AddStandIn();
        var app = builder.Build();
        app.MapOAuth();
        app.MapHelix();
        app.MapStandInControl();
        using var cts = new CancellationTokenSource(Waits.Short);
        await app.StartAsync(cts.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new StandIn(app, new Uri(address));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed record StandIn(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var cts = new CancellationTokenSource(Waits.Short);
            await App.StopAsync(cts.Token);
            await App.DisposeAsync();
        }
    }
}
