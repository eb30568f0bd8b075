using ChatPulse.Api.Accounts;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatPulse.Tests.Foundation;

/// <summary>Migration 0003 (key ring, stored sessions) on a database that already holds streamers from before it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SessionsMigrationTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Migration_0003_keeps_existing_streamers_and_gives_them_sessions_that_go_with_them()
    {
        await using var database = new OwnDatabase(fixture);
        using var cts = new CancellationTokenSource(Waits.AppStart);
        await database.MigrateBeforeAsync("0003", cts.Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        // Written as that schema has it: today's store writes columns later migrations add (0004's trigger keys).
        var existing = new Streamer(Guid.NewGuid(), "4242", "oldtimer", "Oldtimer", Guid.NewGuid());
        await ExecuteAsync(dataSource, $"""
            INSERT INTO streamers (id, twitch_user_id, login, display_name, overlay_id)
            VALUES ('{existing.Id}', '{existing.TwitchUserId}', '{existing.Login}', '{existing.DisplayName}', '{existing.OverlayId}');
            INSERT INTO overlay_configurations (streamer_id, for_trigger, for_label, against_trigger, against_label, memory_seconds, display_mode, theme)
            VALUES ('{existing.Id}', 'yes', 'Yes', 'no', 'No', 30, 'combined', 'dark');
            """, cts.Token);

        await database.MigrateAsync(cts.Token);

        var store = new StreamerStore(dataSource);

        var sessions = new SessionStore(dataSource, TimeProvider.System, Options.Create(new SecurityOptions()));
        var session = await sessions.StartAsync(existing.Id, cts.Token);
        Assert.Equal(existing, await store.GetByIdAsync(existing.Id, cts.Token));
        Assert.True(await sessions.IsActiveAsync(session, existing.Id, cts.Token));
        Assert.Equal(0L, await ScalarAsync(dataSource, "SELECT count(*) FROM data_protection_keys"));
        await ExecuteAsync(dataSource, $"DELETE FROM streamers WHERE id = '{existing.Id}'", cts.Token);

        Assert.False(await sessions.IsActiveAsync(session, existing.Id, cts.Token));
        Assert.Equal(0L, await ScalarAsync(dataSource, "SELECT count(*) FROM streamer_sessions"));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
