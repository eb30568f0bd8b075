using System.Text.Json;
using System.Text.RegularExpressions;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatPulse.Tests.Votes;

/// <summary>
/// What C# and the vote scripts' Lua both know (the infinite window's horizon, the debounce key's lifetime, the
/// snapshot's JSON) comes from C#: the Lua holds no copy, and the real script in the fixture's Redis follows it.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class VoteScriptConstantsTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan SeenTtl = TimeSpan.FromMinutes(10);
    private readonly string _b = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
    private readonly long _t0 = 1_900_000_000_000 + (Random.Shared.Next(0, 1_000_000) * 1000L); // on a second boundary
    private ConnectionMultiplexer _redis = null!;
    private VoteWindow _window = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        _window = new VoteWindow(_redis);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public void The_lua_in_the_source_holds_no_copy_of_a_csharp_value()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "ChatPulse.Api", "Votes", "VoteScripts.cs"));
        var lua = string.Join('\n', RawStrings().Matches(source).Select(m => m.Groups[1].Value));

        Assert.Contains("redis.call", lua); // the Lua was found
        var copies = new[] { $"{VoteScripts.InfiniteHorizonSeconds}", $"{VoteScripts.InfiniteHorizonSeconds + 1}", $"{VoteScripts.DebounceLifetimeMs}" }
            .Where(n => Regex.IsMatch(lua, $@"(?<![\w{{]){n}(?!\w)")).ToList();
        Assert.Empty(copies);
        Assert.DoesNotMatch(@"""(broadcasterId|for|against|at|total|forRatio|againstRatio)""", lua);
    }

    [Fact]
    public async Task An_infinite_window_folds_a_vote_exactly_the_csharp_horizon_after_its_second()
    {
        await WatchAsync(_t0);
        await _window.CastAsync(_b, "m1", "c1", VoteSide.For, null, _t0, SeenTtl);
        var horizon = VoteScripts.InfiniteHorizonSeconds * 1000L;

        await _window.ReadAsync(_b, null, _t0 + horizon - 1);
        Assert.False((await _redis.GetDatabase().HashGetAsync(RedisKeys.VoteWindow(_b), "bf")).HasValue);
        await _window.ReadAsync(_b, null, _t0 + horizon);
        Assert.Equal(1, (long)await _redis.GetDatabase().HashGetAsync(RedisKeys.VoteWindow(_b), "bf"));
    }

    [Fact]
    public async Task A_chatters_last_vote_lives_the_csharp_debounce_lifetime()
    {
        await WatchAsync(_t0);
        await _window.CastAsync(_b, "m1", "c1", VoteSide.For, 30, _t0, SeenTtl);

        var kept = await _redis.GetDatabase().KeyTimeToLiveAsync(RedisKeys.VoteDebounce(_b, "c1"));
        Assert.NotNull(kept);
        Assert.InRange(kept.Value.TotalMilliseconds, VoteScripts.DebounceLifetimeMs - Waits.Short.TotalMilliseconds, VoteScripts.DebounceLifetimeMs);
    }

    [Fact]
    public async Task The_snapshot_the_script_publishes_reads_back_through_the_overlay_with_every_property()
    {
        var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(_b)));
        await WatchAsync(_t0);
        await _window.CastAsync(_b, "m1", "c1", VoteSide.Against, 30, _t0 + 7, SeenTtl);
        using var cts = new CancellationTokenSource(Waits.Short);
        string json = (await queue.ReadAsync(cts.Token)).Message!;
        await queue.UnsubscribeAsync();

        Assert.Equal(new SentimentSnapshot(_b, 0, 1, _t0 + 7), OverlayFrames.ReadSnapshot(json));
        using var published = JsonDocument.Parse(json);
        var properties = typeof(SentimentSnapshot).GetProperties().Where(p => p.DeclaringType == typeof(SentimentSnapshot) && p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order();
        Assert.Equal(properties, published.RootElement.EnumerateObject().Select(p => p.Name).Order());
    }

    private Task WatchAsync(long nowMs) =>
        new OverlayPresence(_redis, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(nowMs))).HeartbeatAsync(_b, "test", 1, 1, default);

    // The text of every C# raw string literal ("""…""").
    [GeneratedRegex("\"\"\"(.*?)\"\"\"", RegexOptions.Singleline)]
    private static partial Regex RawStrings();
}
