using ChatPulse.Api.Infrastructure.Settings;
using Npgsql;

namespace ChatPulse.Api.Accounts;

/// <summary>
/// Server-side sessions in Postgres (<c>streamer_sessions</c>, migration 0003). A session cookie is only as good as
/// its row: logout deletes the row (so a copy of the cookie stops working too), "log out everywhere" deletes every
/// row of the streamer, a deleted streamer takes its rows along, and a row ends SESSION_ABSOLUTE_MAX_AGE after the
/// login however long the cookie kept sliding.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource, TimeProvider time, IOptions<SecurityOptions> security)
{
    /// <summary>Starts a session for the streamer; also drops the streamer's sessions that already ended.</summary>
    public async Task<Guid> StartAsync(Guid streamerId, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var now = time.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("DELETE FROM streamer_sessions WHERE streamer_id = $1 AND expires_at <= $2", streamerId, now));
        batch.BatchCommands.Add(Command("INSERT INTO streamer_sessions (id, streamer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            id, streamerId, now, now + security.Value.SessionAbsoluteMaxAgeValue));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Whether the session is live: its row exists, belongs to the streamer and has not reached its absolute end.
    /// One query; a row also proves the streamer still exists (rows go with their streamer).
    /// </summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, Guid streamerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM streamer_sessions WHERE id = $1 AND streamer_id = $2 AND expires_at > $3)");
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(time.GetUtcNow());
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Ends one session (logout).</summary>
    public async Task EndAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM streamer_sessions WHERE id = $1");
        command.Parameters.AddWithValue(sessionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends every session of the streamer (log out everywhere); returns how many there were.</summary>
    public async Task<int> EndAllAsync(Guid streamerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM streamer_sessions WHERE streamer_id = $1");
        command.Parameters.AddWithValue(streamerId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
