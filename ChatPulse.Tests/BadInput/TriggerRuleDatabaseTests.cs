using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.BadInput;

/// <summary>The app's "the same trigger" rule and the database's check, run over the same tricky pairs on the real Postgres.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TriggerRuleDatabaseTests(AppHostFixture fixture)
{
    public static TheoryData<string, string> TrickyPairs => new()
    {
        { "\u00DF", "\u1E9E" }, // ß / ẞ: lower() folded them, OrdinalIgnoreCase does not
        { "i", "\u0130" }, // i / İ
        { "k", "\u212A" }, // k / Kelvin sign
        { "\u03C3", "\u03C2" }, // σ / ς
        { "\u017F", "s" }, // ſ / s
        { "ja", "JA" },
        { "\u00E4h", "\u00C4H" },
        { "caf\u00E9", "CAFE\u0301" }, // one text after NFC
        { "yes", "yes\u200B" }, // one text after trimming
        { "\U00010428", "\U00010400" },
        { "Kappa", "PogChamp" },
    };

    [Theory]
    [MemberData(nameof(TrickyPairs))]
    public async Task The_database_refuses_a_pair_exactly_when_the_app_calls_them_the_same_trigger(string forTrigger, string againstTrigger)
    {
        var store = new StreamerStore(fixture.Database);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);
        var configuration = OverlayConfiguration.Default with { ForTriggers = [forTrigger], AgainstTriggers = [againstTrigger] };
        var appSaysSame = configuration.Validate().ContainsKey(nameof(OverlayConfiguration.AgainstTriggers));

        // The database's rule on its own: the row written directly, past the app's validation.
        Assert.Equal(appSaysSame, await DatabaseRefusesAsync(streamer.Id, configuration.Normalized()));
    }

    [Theory]
    [MemberData(nameof(TrickyPairs))]
    public async Task The_database_refuses_a_pair_on_one_side_exactly_when_the_app_calls_them_the_same_trigger(string first, string second)
    {
        var store = new StreamerStore(fixture.Database);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);
        var configuration = OverlayConfiguration.Default with { ForTriggers = [first, second], AgainstTriggers = ["∅"] };
        var appSaysSame = configuration.Validate().ContainsKey(nameof(OverlayConfiguration.ForTriggers));

        Assert.Equal(appSaysSame, await DatabaseRefusesAsync(streamer.Id, configuration.Normalized()));
    }

    // Writes the triggers and their keys (the app's one definition) straight into the row: true on a check violation.
    private async Task<bool> DatabaseRefusesAsync(Guid streamerId, OverlayConfiguration configuration)
    {
        await using var command = fixture.Database.CreateCommand(
            """
            UPDATE overlay_configurations SET for_triggers = $2, against_triggers = $3, for_trigger_keys = $4, against_trigger_keys = $5
            WHERE streamer_id = $1
            """);
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(configuration.ForTriggers.ToArray());
        command.Parameters.AddWithValue(configuration.AgainstTriggers.ToArray());
        command.Parameters.AddWithValue(configuration.ForTriggers.Select(VoteMatcher.TriggerKey).ToArray());
        command.Parameters.AddWithValue(configuration.AgainstTriggers.Select(VoteMatcher.TriggerKey).ToArray());
        try
        {
            await command.ExecuteNonQueryAsync();
            return false;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return true;
        }
    }

    [Fact]
    public async Task Triggers_equal_only_under_the_databases_old_lower_are_saved_through_the_store()
    {
        var store = new StreamerStore(fixture.Database);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);

        // Before migration 0004: lower(btrim(…)) said equal, the app said different, and the save was a 23514.
        var saved = await store.SaveConfigurationAsync(streamer.Id,
            OverlayConfiguration.Default with { ForTriggers = ["\u1E9E"], AgainstTriggers = ["\u00DF"] }, default);

        Assert.Equal(saved, await store.GetConfigurationAsync(streamer.Id, default));
    }

    [Fact]
    public async Task A_trigger_with_an_invisible_character_is_stored_without_it()
    {
        var store = new StreamerStore(fixture.Database);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);

        var saved = await store.SaveConfigurationAsync(streamer.Id,
            OverlayConfiguration.Default with { ForTriggers = ["yes\u200B"], AgainstTriggers = ["cafe\u0301"] }, default);

        Assert.Equal(("yes", "caf\u00E9"), (saved.ForTriggers.Single(), saved.AgainstTriggers.Single()));
    }

    private static string NewTwitchId() => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
}
