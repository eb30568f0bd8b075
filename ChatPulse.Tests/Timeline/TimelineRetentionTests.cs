using ChatPulse.Api.Timeline;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary>TIMELINE_RETENTION_DAYS on a replica over a database of its own, and the timeline's settings checked at start.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineRetentionTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Points_past_the_retention_are_deleted_in_bounded_batches_and_newer_ones_kept()
    {
        await using var database = new OwnDatabase(fixture);
        await database.MigrateAsync(default);
        await using var data = Npgsql.NpgsqlDataSource.Create(database.ConnectionString);
        var streamerId = Guid.NewGuid();
        await using (var insert = data.CreateCommand("INSERT INTO streamers (id, twitch_user_id, login, display_name, overlay_id) VALUES ($1, $2, 'old', 'Old', $3)"))
        {
            insert.Parameters.AddWithValue(streamerId);
            insert.Parameters.AddWithValue($"{Random.Shared.NextInt64(1_000_000, 9_999_999_999)}");
            insert.Parameters.AddWithValue(Guid.NewGuid());
            await insert.ExecuteNonQueryAsync();
        }

        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 12_000).Select(i => new MoodPoint(now.AddDays(-31).AddSeconds(-10 * i), 1, 1, 1, 0.1)).ToArray();
        var kept = Enumerable.Range(0, 100).Select(i => new MoodPoint(now.AddDays(-29).AddSeconds(-10 * i), 1, 1, 1, 0.1)).ToArray();
        await TimelineRows.InsertAsync(data, streamerId, [.. old, .. kept]);

        await using var replica = await ApiInstance.StartAsync(fixture, e =>
        {
            database.Use(e);
            e["TIMELINE_RETENTION_DAYS"] = "30";
        });
        var deletes = 0.0;
        await Waits.Until(async () => (deletes = await TimelineRows.StatementsAsync(replica, "delete_expired")) >= 3, Waits.Short, "the first sweep");
        var left = await TimelineRows.PointsAsync(data, streamerId);

        Assert.Equal(kept.Select(p => p.At.ToUnixTimeMilliseconds() / 1000).Order(), left.Select(p => p.At.ToUnixTimeMilliseconds() / 1000));
        Assert.Equal(3, deletes); // 12,000 rows in batches of 5,000: 5,000 + 5,000 + 2,000
        Assert.Equal(5_000, TimelineRetention.BatchSize);
    }

    [Theory]
    [InlineData("TIMELINE_INTERVAL", "1500ms", "TIMELINE_INTERVAL: must be whole seconds between 1s and 10m, e.g. 10s (was '1500ms')")]
    [InlineData("TIMELINE_INTERVAL", "11m", "TIMELINE_INTERVAL: must be whole seconds between 1s and 10m")]
    [InlineData("TIMELINE_RETENTION_DAYS", "0", "TIMELINE_RETENTION_DAYS: must be a whole number of days from 1 to 3650 (was 0)")]
    public async Task A_bad_timeline_setting_stops_the_start_with_a_line_naming_it(string variable, string value, string expected)
    {
        var environment = fixture.SharedApiEnvironment();
        environment[variable] = value;
        await using var api = ApiInstance.Start(environment);

        var exitCode = await api.WaitForExitAsync(Waits.AppStart);

        Assert.Equal(2, exitCode);
        Assert.Contains($"chatpulse: invalid setting: {expected}", Assert.Single(api.Output.Split('\n'), l => l.Contains("invalid setting", StringComparison.Ordinal)));
    }
}
