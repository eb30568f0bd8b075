using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.Foundation;

/// <summary>Migration 0005 (trigger lists) on a database that holds configurations saved with one trigger per side.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TriggerListsMigrationTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Migration_0005_turns_each_trigger_into_a_one_item_list_that_still_matches_and_saves()
    {
        await using var database = new OwnDatabase(fixture);
        using var cts = new CancellationTokenSource(Waits.AppStart);
        await database.MigrateBeforeAsync("0005", cts.Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        // As 0004's schema has them: one saved since 0004 (with keys), one saved before it (keys NULL), one long trigger.
        var (saved, older, longer) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var longTrigger = new string('x', 300);
        await ExecuteAsync(dataSource, $"""
            INSERT INTO streamers (id, twitch_user_id, login, display_name, overlay_id) VALUES
                ('{saved}', '51', 'saved', 'Saved', gen_random_uuid()),
                ('{older}', '52', 'older', 'Older', gen_random_uuid()),
                ('{longer}', '53', 'longer', 'Longer', gen_random_uuid());
            INSERT INTO overlay_configurations (streamer_id, for_trigger, for_label, against_trigger, against_label, memory_seconds,
                display_mode, theme, version, for_trigger_key, against_trigger_key) VALUES
                ('{saved}', 'Kappa', 'Hype', 'NotLikeThis', 'Sad', 60, 'split', 'light', 7, 'KAPPA', 'NOTLIKETHIS'),
                ('{older}', 'yes', 'Yes', 'no', 'No', NULL, 'combined', 'dark', 3, NULL, NULL),
                ('{longer}', '{longTrigger}', 'Long', 'no', 'No', 30, 'combined', 'dark', 1, '{longTrigger.ToUpperInvariant()}', 'NO');
            """, cts.Token);

        await database.MigrateAsync(cts.Token);

        var store = new StreamerStore(dataSource);
        var kept = (await store.GetConfigurationAsync(saved, cts.Token))!;
        // Migration 0006, which runs after, gives a light-theme row today's light text colour.
        Assert.Equal(new OverlayConfiguration(["Kappa"], "Hype", ["NotLikeThis"], "Sad", 60, DisplayMode.Split, OverlayTheme.Light, 7)
        {
            Style = OverlayStyle.Default with { TextColor = OverlayStyle.LightText },
        }, kept);
        Assert.Equal((TriggerMatchMode.WholeMessage, false), (kept.MatchMode, kept.ShowTriggers));
        Assert.Equal(VoteSide.For, VoteMatcher.Match(" kappa ", kept));
        Assert.Equal(VoteSide.None, VoteMatcher.Match("Kappa Kappa", kept));
        var migratedKeys = await KeysAsync(dataSource, saved, cts.Token);
        Assert.NotNull(migratedKeys);
        Assert.Equal(["KAPPA"], migratedKeys);
        var longOne = (await store.GetConfigurationAsync(longer, cts.Token))!; // over today's 100 characters: kept, and it matches
        Assert.Equal(VoteSide.For, VoteMatcher.Match(longTrigger, longOne));

        var keyless = (await store.GetConfigurationAsync(older, cts.Token))!;
        Assert.Equal(["yes"], keyless.ForTriggers);
        Assert.Equal(["no"], keyless.AgainstTriggers);
        Assert.Equal(3L, keyless.Version);
        Assert.Null(await KeysAsync(dataSource, older, cts.Token));
        var next = await store.SaveConfigurationAsync(older,
            keyless with { ForTriggers = ["yes", "W"], AgainstTriggers = ["no", "L"], MatchMode = TriggerMatchMode.AnyWord }, cts.Token);
        Assert.Equal(next, await store.GetConfigurationAsync(older, cts.Token));
        var savedKeys = await KeysAsync(dataSource, older, cts.Token);
        Assert.NotNull(savedKeys);
        Assert.Equal(["YES", "W"], savedKeys);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource,
            $"UPDATE overlay_configurations SET against_triggers = ARRAY['no', 'w'], against_trigger_keys = ARRAY['NO', 'W'] WHERE streamer_id = '{older}'",
            cts.Token));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }

    private static async Task<string[]?> KeysAsync(NpgsqlDataSource dataSource, Guid streamerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT for_trigger_keys FROM overlay_configurations WHERE streamer_id = $1");
        command.Parameters.AddWithValue(streamerId);
        return await command.ExecuteScalarAsync(cancellationToken) as string[];
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
