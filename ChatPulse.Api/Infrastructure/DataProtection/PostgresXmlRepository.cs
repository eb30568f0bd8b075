using System.Xml.Linq;
using ChatPulse.Api.Infrastructure.Database;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace ChatPulse.Api.Infrastructure.DataProtection;

/// <summary>
/// Data Protection's key ring in Postgres (<c>data_protection_keys</c>, migration 0003). Replicas that find the ring
/// empty at the same moment each create a key; this repository makes them converge on one: a key is stored under a
/// transaction-scoped advisory lock, and only if no key appeared since this process last read the ring. Otherwise
/// the new key is dropped, and the framework, which re-reads the ring after creating a key, takes the other
/// replica's as its default, so every replica protects with the same key.
/// </summary>
internal sealed partial class PostgresXmlRepository(
    NpgsqlDataSource dataSource,
    MigrationState migrations,
    ILogger<PostgresXmlRepository> logger) : IXmlRepository
{
    /// <summary>Every replica must take the same lock; distinct from the migration lock.</summary>
    internal const long AdvisoryLockKey = 0x43_50_4B_65_79_52_69_6E; // "CPKeyRin"

    private const string KeyElement = "key";

    /// <summary>
    /// How long a read waits for the migrations that create the table. The framework loads the ring while the host
    /// starts, before the server listens: long enough for the usual start (schema current, under a second), short
    /// enough that a start whose migrations wait (Postgres down, another replica migrating) still listens and
    /// reports why on its health endpoints; <see cref="KeyRingWarmup"/> loads the ring once they are done.
    /// </summary>
    private static readonly TimeSpan SchemaWait = TimeSpan.FromSeconds(10);

    private volatile string[] _seenKeys = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        WaitForSchema();
        using var command = dataSource.CreateCommand("SELECT friendly_name, element, xml FROM data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        var keys = new List<string>();
        while (reader.Read())
        {
            if (reader.GetString(1) == KeyElement)
            {
                keys.Add(reader.GetString(0));
            }

            elements.Add(XElement.Parse(reader.GetString(2)));
        }

        _seenKeys = [.. keys];
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        WaitForSchema();
        var kind = element.Name.LocalName;
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            serialize.Parameters.AddWithValue(AdvisoryLockKey);
            serialize.ExecuteNonQuery();
        }

        if (kind == KeyElement && UnseenKey(connection, transaction) is { } other)
        {
            LogKeyDropped(logger, friendlyName, other);
            return; // rolled back with the transaction's disposal
        }

        using (var insert = new NpgsqlCommand(
            "INSERT INTO data_protection_keys (friendly_name, element, xml) VALUES ($1, $2, $3) ON CONFLICT (friendly_name) DO NOTHING",
            connection, transaction))
        {
            insert.Parameters.AddWithValue(friendlyName);
            insert.Parameters.AddWithValue(kind);
            insert.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>A key another replica stored after this process last read the ring, or null.</summary>
    private string? UnseenKey(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using var command = new NpgsqlCommand(
            "SELECT friendly_name FROM data_protection_keys WHERE element = 'key' AND NOT (friendly_name = ANY($1)) ORDER BY id LIMIT 1",
            connection, transaction);
        command.Parameters.AddWithValue(_seenKeys);
        return command.ExecuteScalar() as string;
    }

    private void WaitForSchema()
    {
        // Data Protection reads synchronously; a read that comes before the migrations waits for them, briefly.
        if (!migrations.Completed.Wait(SchemaWait))
        {
            throw new InvalidOperationException("The Data Protection key ring's table is not migrated yet.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Another replica created Data Protection key {Other} at the same moment; {Dropped} is not stored and theirs is used")]
    private static partial void LogKeyDropped(ILogger logger, string dropped, string other);
}
