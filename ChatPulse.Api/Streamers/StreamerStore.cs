using ChatPulse.Api.Polls;
using ChatPulse.Api.Votes;
using Npgsql;
using NpgsqlTypes;

namespace ChatPulse.Api.Streamers;

/// <summary>Streamers and their overlay configurations in Postgres.</summary>
public sealed partial class StreamerStore(NpgsqlDataSource dataSource)
{
    private const string StreamerColumns = "s.id, s.twitch_user_id, s.login, s.display_name, s.overlay_id";
    private const string ConfigurationColumns =
        "c.for_triggers, c.for_label, c.against_triggers, c.against_label, c.memory_seconds, c.display_mode, c.theme, c.version, c.style, "
        + TriggerSettingColumns;

    // Triggers (docs/triggers.md, migration 0005), read by name.
    private const string TriggerSettingColumns = "c.match_mode, c.show_triggers";

    /// <summary>
    /// First login creates the streamer, a default configuration and a random overlay id; later logins update
    /// the names. <c>Created</c> tells which happened.
    /// </summary>
    public async Task<(Streamer Streamer, bool Created)> UpsertOnLoginAsync(string twitchUserId, string login, string displayName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var upsert = new NpgsqlCommand(
            $"""
            INSERT INTO streamers AS s (id, twitch_user_id, login, display_name, overlay_id)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (twitch_user_id) DO UPDATE SET login = EXCLUDED.login, display_name = EXCLUDED.display_name, updated_at = now()
            RETURNING {StreamerColumns}, (xmax = 0) AS created
            """, connection, transaction);
        upsert.Parameters.AddWithValue(Guid.NewGuid());
        upsert.Parameters.AddWithValue(twitchUserId);
        upsert.Parameters.AddWithValue(login);
        upsert.Parameters.AddWithValue(displayName);
        upsert.Parameters.AddWithValue(Guid.NewGuid()); // v4: 122 random bits, never time-ordered

        Streamer streamer;
        bool created;
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            streamer = ReadStreamer(reader);
            created = reader.GetBoolean(5);
        }

        if (created)
        {
            await InsertConfigurationAsync(connection, transaction, streamer.Id, OverlayConfiguration.Default, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (streamer, created);
    }

    public Task<Streamer?> GetByIdAsync(Guid id, CancellationToken cancellationToken) =>
        QueryStreamerAsync("s.id = $1", id, cancellationToken);

    public Task<Streamer?> GetByOverlayIdAsync(Guid overlayId, CancellationToken cancellationToken) =>
        QueryStreamerAsync("s.overlay_id = $1", overlayId, cancellationToken);

    /// <summary>The streamer and configuration behind a Twitch broadcaster id, in one query.</summary>
    public async Task<ChannelSettings?> GetChannelAsync(string twitchUserId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {StreamerColumns}, {ConfigurationColumns}, {PollColumns}
            FROM streamers s JOIN overlay_configurations c ON c.streamer_id = s.id
            LEFT JOIN polls p ON p.streamer_id = s.id AND p.status = 'running'
            WHERE s.twitch_user_id = $1
            """);
        command.Parameters.AddWithValue(twitchUserId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChannelSettings(ReadStreamer(reader), ReadConfiguration(reader, offset: 5)) { Poll = ReadRunningPoll(reader) }
            : null;
    }

    // The running poll (Polls/, migration 0007), read by name; one at most (the partial unique index).
    private const string PollColumns = "p.id AS poll_id, p.options::text AS poll_options";

    private static RunningPoll? ReadRunningPoll(NpgsqlDataReader reader)
    {
        var id = reader.GetOrdinal("poll_id");
        return reader.IsDBNull(id) ? null
            : new RunningPoll(reader.GetGuid(id), [.. PollStore.ReadOptions(reader.GetString(reader.GetOrdinal("poll_options"))).Select(o => o.Triggers)]);
    }

    public async Task<OverlayConfiguration?> GetConfigurationAsync(Guid streamerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ConfigurationColumns} FROM overlay_configurations c WHERE c.streamer_id = $1");
        command.Parameters.AddWithValue(streamerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadConfiguration(reader, offset: 0) : null;
    }

    /// <summary>Saves a validated configuration and bumps its version; returns what was stored.</summary>
    public async Task<OverlayConfiguration> SaveConfigurationAsync(Guid streamerId, OverlayConfiguration configuration, CancellationToken cancellationToken)
    {
        var errors = configuration.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid configuration: {string.Join("; ", errors.Values)}", nameof(configuration));
        }

        var normalized = configuration.Normalized();
        await using var command = dataSource.CreateCommand(
            """
            UPDATE overlay_configurations SET for_triggers = $2, for_label = $3, against_triggers = $4, against_label = $5,
                memory_seconds = $6, display_mode = $7, theme = $8, for_trigger_keys = $9, against_trigger_keys = $10,
                match_mode = $11, show_triggers = $12,
                version = version + 1, updated_at = now(), style = $13
            WHERE streamer_id = $1
            RETURNING version
            """);
        command.Parameters.AddWithValue(streamerId);
        AddConfigurationParameters(command.Parameters, normalized);
        var version = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Streamer {streamerId} has no configuration.");
        return normalized with { Version = (long)version };
    }

    /// <summary>Gives the streamer a new random overlay id; the old one stops resolving at once.</summary>
    public async Task<Guid> RotateOverlayIdAsync(Guid streamerId, CancellationToken cancellationToken)
    {
        var overlayId = Guid.NewGuid();
        await using var command = dataSource.CreateCommand("UPDATE streamers SET overlay_id = $2, updated_at = now() WHERE id = $1");
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(overlayId);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"Streamer {streamerId} does not exist.");
        }

        return overlayId;
    }

    private async Task<Streamer?> QueryStreamerAsync<T>(string where, T value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StreamerColumns} FROM streamers s WHERE {where}");
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadStreamer(reader) : null;
    }

    private static async Task InsertConfigurationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid streamerId,
        OverlayConfiguration configuration, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO overlay_configurations (streamer_id, for_triggers, for_label, against_triggers, against_label, memory_seconds, display_mode, theme,
                for_trigger_keys, against_trigger_keys, match_mode, show_triggers, style)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (streamer_id) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue(streamerId);
        AddConfigurationParameters(command.Parameters, configuration);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddConfigurationParameters(NpgsqlParameterCollection parameters, OverlayConfiguration c)
    {
        parameters.AddWithValue(c.ForTriggers.ToArray());
        parameters.AddWithValue(c.ForLabel);
        parameters.AddWithValue(c.AgainstTriggers.ToArray());
        parameters.AddWithValue(c.AgainstLabel);
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)c.MemorySeconds ?? DBNull.Value });
        parameters.AddWithValue(c.DisplayMode.ToString().ToLowerInvariant());
        parameters.AddWithValue(c.Theme.ToString().ToLowerInvariant());
        // The database's "same trigger" checks compare these keys: the app's one definition (migrations 0004, 0005).
        parameters.AddWithValue(c.ForTriggers.Select(VoteMatcher.TriggerKey).ToArray());
        parameters.AddWithValue(c.AgainstTriggers.Select(VoteMatcher.TriggerKey).ToArray());
        parameters.AddWithValue(c.MatchMode.Name());
        parameters.AddWithValue(c.ShowTriggers);
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = c.Style.ToJson() });
    }

    private static Streamer ReadStreamer(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetGuid(4));

    private static OverlayConfiguration ReadConfiguration(NpgsqlDataReader reader, int offset) => new(
        ForTriggers: [.. reader.GetFieldValue<string[]>(offset)],
        ForLabel: reader.GetString(offset + 1),
        AgainstTriggers: [.. reader.GetFieldValue<string[]>(offset + 2)],
        AgainstLabel: reader.GetString(offset + 3),
        MemorySeconds: reader.IsDBNull(offset + 4) ? null : reader.GetInt32(offset + 4),
        DisplayMode: Enum.Parse<DisplayMode>(reader.GetString(offset + 5), ignoreCase: true),
        Theme: Enum.Parse<OverlayTheme>(reader.GetString(offset + 6), ignoreCase: true),
        Version: reader.GetInt64(offset + 7))
    {
        Style = OverlayStyle.FromJson(reader.GetString(reader.GetOrdinal("style"))),
        // By name, so the columns other features add to the list may come before or after these.
        MatchMode = TriggerMatchModes.Parse(reader.GetString(reader.GetOrdinal("match_mode"))) ?? TriggerMatchMode.WholeMessage,
        ShowTriggers = reader.GetBoolean(reader.GetOrdinal("show_triggers")),
    };
}

/// <summary>What the hot paths (webhook, overlay) need about one channel.</summary>
/// <remarks>Immutable, so <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/> hands out the cached instance instead of a copy.</remarks>
[System.ComponentModel.ImmutableObject(true)]
public sealed record ChannelSettings(Streamer Streamer, OverlayConfiguration Configuration)
{
    /// <summary>The channel's running poll (Polls/), or null; dropped from caches by <see cref="StreamerEventKind.PollChanged"/>.</summary>
    public RunningPoll? Poll { get; init; }
}
