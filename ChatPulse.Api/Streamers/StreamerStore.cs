using ChatPulse.Api.Votes;
using Npgsql;
using NpgsqlTypes;

namespace ChatPulse.Api.Streamers;

/// <summary>Streamers and their overlay configurations in Postgres.</summary>
public sealed partial class StreamerStore(NpgsqlDataSource dataSource)
{
    private const string StreamerColumns = "s.id, s.twitch_user_id, s.login, s.display_name, s.overlay_id";
    private const string ConfigurationColumns =
        "c.for_trigger, c.for_label, c.against_trigger, c.against_label, c.memory_seconds, c.display_mode, c.theme, c.version";

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
            $"SELECT {StreamerColumns}, {ConfigurationColumns} FROM streamers s JOIN overlay_configurations c ON c.streamer_id = s.id WHERE s.twitch_user_id = $1");
        command.Parameters.AddWithValue(twitchUserId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChannelSettings(ReadStreamer(reader), ReadConfiguration(reader, offset: 5))
            : null;
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
            UPDATE overlay_configurations SET for_trigger = $2, for_label = $3, against_trigger = $4, against_label = $5,
                memory_seconds = $6, display_mode = $7, theme = $8, for_trigger_key = $9, against_trigger_key = $10,
                version = version + 1, updated_at = now()
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
            INSERT INTO overlay_configurations (streamer_id, for_trigger, for_label, against_trigger, against_label, memory_seconds, display_mode, theme,
                for_trigger_key, against_trigger_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (streamer_id) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue(streamerId);
        AddConfigurationParameters(command.Parameters, configuration);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddConfigurationParameters(NpgsqlParameterCollection parameters, OverlayConfiguration c)
    {
        parameters.AddWithValue(c.ForTrigger);
        parameters.AddWithValue(c.ForLabel);
        parameters.AddWithValue(c.AgainstTrigger);
        parameters.AddWithValue(c.AgainstLabel);
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)c.MemorySeconds ?? DBNull.Value });
        parameters.AddWithValue(c.DisplayMode.ToString().ToLowerInvariant());
        parameters.AddWithValue(c.Theme.ToString().ToLowerInvariant());
        // The database's "triggers must differ" check compares these keys: the app's one definition (migration 0004).
        parameters.AddWithValue(VoteMatcher.TriggerKey(c.ForTrigger));
        parameters.AddWithValue(VoteMatcher.TriggerKey(c.AgainstTrigger));
    }

    private static Streamer ReadStreamer(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetGuid(4));

    private static OverlayConfiguration ReadConfiguration(NpgsqlDataReader reader, int offset) => new(
        ForTrigger: reader.GetString(offset),
        ForLabel: reader.GetString(offset + 1),
        AgainstTrigger: reader.GetString(offset + 2),
        AgainstLabel: reader.GetString(offset + 3),
        MemorySeconds: reader.IsDBNull(offset + 4) ? null : reader.GetInt32(offset + 4),
        DisplayMode: Enum.Parse<DisplayMode>(reader.GetString(offset + 5), ignoreCase: true),
        Theme: Enum.Parse<OverlayTheme>(reader.GetString(offset + 6), ignoreCase: true),
        Version: reader.GetInt64(offset + 7));
}

/// <summary>What the hot paths (webhook, overlay) need about one channel.</summary>
/// <remarks>Immutable, so <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/> hands out the cached instance instead of a copy.</remarks>
[System.ComponentModel.ImmutableObject(true)]
public sealed record ChannelSettings(Streamer Streamer, OverlayConfiguration Configuration);
