using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.Foundation;

[Collection(AppHostCollection.Name)]
public sealed class MigrationConcurrencyTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Three_replicas_migrating_a_new_database_at_once_end_with_one_correct_schema()
    {
        // A database of its own, that none of the runners finds existing: they race to create it too.
        await using var target = new OwnDatabase(fixture);

        var runners = Enumerable.Range(0, 3).Select(_ => target.NewRunner()).ToArray();
        using var cts = new CancellationTokenSource(Waits.AppStart);

        await Task.WhenAll(runners.Select(r => Task.Run(() => r.MigrateAsync(target.ConnectionString, cts.Token))));

        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        var journal = await Scalar<long>(connection, "SELECT count(*) FROM schema_migrations");
        var distinct = await Scalar<long>(connection, "SELECT count(DISTINCT scriptname) FROM schema_migrations");
        var tables = await Scalar<long>(connection,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('streamers', 'overlay_configurations', 'eventsub_subscriptions')");

        Assert.Equal(distinct, journal);
        Assert.Equal(MigrationScriptCount(), journal);
        Assert.Equal(3, tables);
    }

    private static long MigrationScriptCount() => typeof(MigrationRunner).Assembly.GetManifestResourceNames()
        .Count(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal));

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
