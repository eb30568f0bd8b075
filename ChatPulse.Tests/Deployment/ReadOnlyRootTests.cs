using ChatPulse.Api.Overlay;
using ChatPulse.Tests.Twitch;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;
using StackExchange.Redis;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// The API works the way the Deployment runs it: as an unprivileged user, its content directory and home unwritable,
/// a temp directory (the pod's /tmp emptyDir) the only place it may write.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ReadOnlyRootTests(AppHostFixture fixture)
{
    private const int Nobody = 65534;

    [Fact]
    public async Task The_api_serves_logs_in_and_counts_a_vote_with_only_tmp_writable()
    {
        // What the pod may write: the read-only root plus its emptyDirs, all of which is /tmp.
        var deployment = (await KubernetesLayer.RenderAsync()).Single("Deployment", "chatpulse");
        var container = deployment.Containers().Single();
        Assert.Equal("true", container.Scalar("securityContext.readOnlyRootFilesystem"));
        var writable = deployment.List("spec.template.spec.volumes").Where(v => v.Get("emptyDir") is not null).Select(v => v.Scalar("name")).ToHashSet();
        Assert.Equal(["/tmp"], container.List("volumeMounts").Where(m => writable.Contains(m.Scalar("name"))).Select(m => m.Scalar("mountPath")));
        Assert.True(Environment.UserName == "root", "the test switches to an unprivileged user with setpriv, which needs root");

        using var sandbox = await Sandbox.CreateAsync();
        await using var replica = await ApiInstance.StartAsync(fixture, environment =>
        {
            environment["ASPNETCORE_ENVIRONMENT"] = "Production"; // as in the pod, where nothing sets it
            environment["HOME"] = sandbox.Home;
            environment["TMPDIR"] = sandbox.Temp;
            foreach (var variable in container.List("env"))
            {
                environment[variable.Scalar("name")!] = variable.Scalar("value") ?? "";
            }
        }, new RestrictedProcess(Nobody, sandbox.Application));
        Assert.Contains($"Uid:\t{Nobody}\t", File.ReadAllText($"/proc/{replica.ProcessId}/status"));

        using var visitor = replica.NewVisitor();
        var login = TwitchLogin.NewLogin("readonly");
        var dashboard = await TwitchLogin.LogInAsync(visitor, login);
        Assert.NotNull(dashboard.QuerySelector("form"));

        await using var command = replica.Database.CreateCommand("SELECT twitch_user_id FROM streamers WHERE login = $1");
        command.Parameters.AddWithValue(login);
        var broadcasterId = (string)(await command.ExecuteScalarAsync())!;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        await new OverlayPresence(redis, TimeProvider.System).HeartbeatAsync(broadcasterId, "readonly-overlay", 1, 1, default);
        await using var channel = await VoteTestChannel.WatchAsync(redis, broadcasterId);
        using var response = await replica.Client.SendAsync(EventSubMessages.Request(fixture.ApiEnvironment["WEBHOOK_SECRET"],
            Notification, EventSubMessages.ChatMessage(broadcasterId, "70001", "yes")));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var snapshot = await channel.NextSnapshotAsync();
        Assert.Equal((broadcasterId, 1L, 0L), (snapshot.BroadcasterId, snapshot.For, snapshot.Against));
        Assert.Equal((1, 0), await channel.TotalsAsync());
        Assert.DoesNotContain("Read-only file system", replica.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("UnauthorizedAccessException", replica.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A copy of the API's build (its content directory) and an empty home, both root's and read-only to the user;
    /// a temp directory that user owns.
    /// </summary>
    private sealed class Sandbox : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), $"chatpulse-readonly-{Guid.NewGuid():N}");

        private Sandbox()
        {
        }

        public static async Task<Sandbox> CreateAsync()
        {
            var sandbox = new Sandbox();
            await sandbox.FillAsync();
            return sandbox;
        }

        private async Task FillAsync()
        {
            var build = Path.GetDirectoryName(RepositoryPaths.ApiAssembly)!;
            foreach (var file in Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(Application, Path.GetRelativePath(build, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            Directory.CreateDirectory(Home);
            Directory.CreateDirectory(Temp);
            await Tool.RunAsync("chmod", ["0755", _root, Home]);
            await Tool.RunAsync("chmod", ["0700", Temp]);
            await Tool.RunAsync("chown", [$"{Nobody}:{Nobody}", Temp]);
        }

        public string Application => Path.Combine(_root, "app");

        public string Home => Path.Combine(_root, "home");

        public string Temp => Path.Combine(_root, "tmp");

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
