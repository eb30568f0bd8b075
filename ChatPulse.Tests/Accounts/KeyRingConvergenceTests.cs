using System.Security.Cryptography;
using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.DataProtection;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatPulse.Tests.Accounts;

/// <summary>
/// Two replicas that both found the ring empty and both create a first key: the framework's own key manager over
/// the Postgres repository, with the interleaving forced (B reads, A creates, B creates), end on one key.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class KeyRingConvergenceTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_key_created_by_a_replica_that_read_an_empty_ring_after_another_stored_one_is_dropped_and_both_use_the_first()
    {
        await using var database = new OwnDatabase(fixture);
        await database.MigrateAsync(default);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var tokenKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await using var a = Replica(dataSource, tokenKey);
        await using var b = Replica(dataSource, tokenKey);
        var now = DateTimeOffset.UtcNow;

        Assert.Empty(b.GetRequiredService<IKeyManager>().GetAllKeys()); // B finds the ring empty...
        var fromA = Protector(a).Protect([1, 2, 3]); // ...A creates and stores the first key...
        b.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(90)); // ...and B, deciding on what it read, creates one too.
        var fromB = Protector(b).Protect([4, 5, 6]);

        Assert.Equal(1L, await KeyCountAsync(dataSource));
        Assert.Equal(KeyIdOf(fromA), KeyIdOf(fromB)); // both protect with A's key
        Assert.Equal([4, 5, 6], Protector(a).Unprotect(fromB));
        Assert.Equal([1, 2, 3], Protector(b).Unprotect(fromA));
    }

    /// <summary>A replica's Data Protection as <see cref="SharedKeyRingExtensions.AddSharedKeyRing"/> sets it up, its migrations done.</summary>
    private static ServiceProvider Replica(NpgsqlDataSource dataSource, string tokenEncryptionKey)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Options.Create(new SecurityOptions { TokenEncryptionKey = tokenEncryptionKey }));
        services.AddDataProtection().SetApplicationName(SharedKeyRingExtensions.ApplicationName);
        var migrated = new MigrationState();
        migrated.MarkDone("migrated above");
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new PostgresXmlRepository(dataSource, migrated, NullLogger<PostgresXmlRepository>.Instance);
            options.XmlEncryptor = new AesGcmXmlEncryptor(Convert.FromHexString(tokenEncryptionKey));
        });
        return services.BuildServiceProvider();
    }

    private static IDataProtector Protector(IServiceProvider replica) =>
        replica.GetRequiredService<IDataProtectionProvider>().CreateProtector("convergence-test");

    // A protected payload: a 4-byte magic header, then the id of the key that protected it.
    private static Guid KeyIdOf(byte[] payload) => new(payload.AsSpan(4, 16));

    private static async Task<long> KeyCountAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM data_protection_keys WHERE element = 'key'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
