using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.Foundation;

/// <summary>Migration 0006 (the overlay's style) on a database that already holds configurations from before it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StyleMigrationTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Migration_0006_gives_existing_configurations_today_s_look_in_their_theme()
    {
        await using var database = new OwnDatabase(fixture);
        using var cts = new CancellationTokenSource(Waits.AppStart);
        // The rows are written as the schema before 0005 has them, so later migrations (0005's trigger lists) run on them too.
        await database.MigrateBeforeAsync("0005", cts.Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var (dark, light) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var insert = dataSource.CreateCommand($"""
            INSERT INTO streamers (id, twitch_user_id, login, display_name, overlay_id) VALUES
                ('{dark}', '5150', 'dark', 'Dark', '{Guid.NewGuid()}'), ('{light}', '5151', 'light', 'Light', '{Guid.NewGuid()}');
            INSERT INTO overlay_configurations (streamer_id, for_trigger, for_label, against_trigger, against_label, memory_seconds, display_mode, theme,
                for_trigger_key, against_trigger_key) VALUES
                ('{dark}', 'yes', 'Yes', 'no', 'No', 30, 'combined', 'dark', 'YES', 'NO'),
                ('{light}', 'W', 'Win', 'L', 'Loss', NULL, 'split', 'light', 'W', 'L');
            """))
        {
            await insert.ExecuteNonQueryAsync(cts.Token);
        }

        await database.MigrateAsync(cts.Token);

        var store = new StreamerStore(dataSource);
        var darkConfiguration = (await store.GetConfigurationAsync(dark, cts.Token))!;
        var lightConfiguration = (await store.GetConfigurationAsync(light, cts.Token))!;
        Assert.Equal((DisplayMode.Combined, OverlayTheme.Dark, OverlayStyle.Default),
            (darkConfiguration.DisplayMode, darkConfiguration.Theme, darkConfiguration.Style));
        Assert.Equal((DisplayMode.Split, OverlayTheme.Light, OverlayStyle.Default with { TextColor = OverlayStyle.LightText }),
            (lightConfiguration.DisplayMode, lightConfiguration.Theme, lightConfiguration.Style));
        var saved = await store.SaveConfigurationAsync(light, lightConfiguration with { DisplayMode = DisplayMode.Ring }, cts.Token);
        Assert.Equal(saved, await store.GetConfigurationAsync(light, cts.Token)); // and 'ring' is a display mode the database takes
    }
}
