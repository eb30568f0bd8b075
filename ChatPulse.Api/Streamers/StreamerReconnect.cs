using Npgsql;

namespace ChatPulse.Api.Streamers;

/// <summary>Whether the dashboard must ask the streamer to log in with Twitch again, and why.</summary>
public sealed record ReconnectState(bool NeedsReconnect, string? Reason);

// The streamers' reconnect flag (streamers.needs_reconnect and revoked_reason, migration 0002): this store is its only
// reader and writer. EventSub sets it when Twitch revokes or refuses the bot's chat subscription; a login clears it.
public sealed partial class StreamerStore
{
    /// <summary>The bot may not read the streamer's chat until they log in with Twitch again (<paramref name="reason"/>).</summary>
    public async Task MarkNeedsReconnectAsync(Guid streamerId, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE streamers SET needs_reconnect = true, revoked_reason = $2, updated_at = now() WHERE id = $1");
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A fresh grant (a login, an enabled subscription): the streamer is subscribable again.</summary>
    public async Task ClearNeedsReconnectAsync(Guid streamerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE streamers SET needs_reconnect = false, revoked_reason = NULL, updated_at = now() WHERE id = $1 AND needs_reconnect");
        command.Parameters.AddWithValue(streamerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The flag and its reason; null when the streamer does not exist. While it holds, the dashboard shows
    /// "Reconnect Twitch", and a login announces the streamer again, like a first login, so the bot subscribes anew.
    /// </summary>
    public async Task<ReconnectState?> GetReconnectStateAsync(Guid streamerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT needs_reconnect, revoked_reason FROM streamers WHERE id = $1");
        command.Parameters.AddWithValue(streamerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReconnectState(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>Streamers whose chat the bot should read: all but those needing to reconnect, oldest first.</summary>
    public async Task<IReadOnlyList<Streamer>> ListSubscribableAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StreamerColumns} FROM streamers s WHERE NOT s.needs_reconnect ORDER BY s.created_at");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var streamers = new List<Streamer>();
        while (await reader.ReadAsync(cancellationToken))
        {
            streamers.Add(ReadStreamer(reader));
        }

        return streamers;
    }
}
