using Npgsql;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>A row of <c>eventsub_subscriptions</c>.</summary>
public sealed record SubscriptionRecord(string Id, Guid StreamerId, string Type, string Version, string ConduitId, string Status, string? RevokedReason);

/// <summary>EventSub subscription records (<c>eventsub_subscriptions</c>) in Postgres.</summary>
public sealed class SubscriptionRecords(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, streamer_id, type, version, conduit_id, status, revoked_reason";

    /// <summary>Records an enabled subscription for the streamer (one per type).</summary>
    public async Task UpsertEnabledAsync(Guid streamerId, string subscriptionId, string type, string version, string conduitId, CancellationToken cancellationToken)
    {
        await using var upsert = dataSource.CreateCommand(
            """
            INSERT INTO eventsub_subscriptions (id, streamer_id, type, version, conduit_id, status)
            VALUES ($1, $2, $3, $4, $5, 'enabled')
            ON CONFLICT (streamer_id, type) DO UPDATE SET id = EXCLUDED.id, version = EXCLUDED.version,
                conduit_id = EXCLUDED.conduit_id, status = 'enabled', revoked_reason = NULL, updated_at = now()
            """);
        upsert.Parameters.AddWithValue(subscriptionId);
        upsert.Parameters.AddWithValue(streamerId);
        upsert.Parameters.AddWithValue(type);
        upsert.Parameters.AddWithValue(version);
        upsert.Parameters.AddWithValue(conduitId);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SubscriptionRecord?> FindAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM eventsub_subscriptions WHERE id = $1");
        command.Parameters.AddWithValue(subscriptionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyDictionary<Guid, SubscriptionRecord>> ListAsync(string type, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM eventsub_subscriptions WHERE type = $1");
        command.Parameters.AddWithValue(type);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new Dictionary<Guid, SubscriptionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = Read(reader);
            records[record.StreamerId] = record;
        }

        return records;
    }

    /// <summary>Twitch revoked the subscription: its status becomes the reason.</summary>
    public async Task MarkRevokedAsync(string subscriptionId, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE eventsub_subscriptions SET status = $2, revoked_reason = $2, updated_at = now() WHERE id = $1");
        command.Parameters.AddWithValue(subscriptionId);
        command.Parameters.AddWithValue(reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SubscriptionRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
}
