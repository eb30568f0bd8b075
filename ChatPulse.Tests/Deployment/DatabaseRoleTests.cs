using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// The in-cluster Postgres's init script (k8s/data/in-cluster) makes the API's own role: it owns its database, is no
/// superuser, and the migrations run as it.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DatabaseRoleTests(AppHostFixture fixture)
{
    [Fact]
    public async Task The_init_script_creates_a_non_superuser_role_that_owns_the_database_and_runs_the_migrations()
    {
        var rendered = await KubernetesLayer.RenderAsync();
        var postgres = rendered.Single("StatefulSet", "postgres").Containers().Single();
        Assert.Contains(postgres.List("volumeMounts"), m => m.Scalar("mountPath") == "/docker-entrypoint-initdb.d");
        Assert.Contains(postgres.List("env"), e => e.Scalar("name") == "CHATPULSE_DB_PASSWORD");
        var script = Assert.Single(rendered.Single("ConfigMap", "postgres-init").Map("data")).Value.Value!;
        var secret = Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, "secret.yaml"))).Objects.Single();
        Assert.StartsWith("postgres://chatpulse:", secret.Scalar("stringData.DATABASE_URL"));
        Assert.Contains("/chatpulsedb?", secret.Scalar("stringData.DATABASE_URL"));

        // Run as the Postgres image runs it, against the fixture's server, with names of this test's own.
        var superuser = new NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (role, database, password) = ($"chatpulse_{suffix}", $"chatpulsedb_{suffix}", $"pw-{suffix}");
        var path = Path.Combine(Path.GetTempPath(), $"chatpulse-role-{suffix}.sh");
        await File.WriteAllTextAsync(path, script);
        try
        {
            await Tool.RunAsync("/usr/bin/env", [$"POSTGRES_USER={superuser.Username}", $"PGPASSWORD={superuser.Password}", $"PGHOST={superuser.Host}",
                $"PGPORT={superuser.Port}", $"CHATPULSE_DB_USER={role}", $"CHATPULSE_DB_NAME={database}", $"CHATPULSE_DB_PASSWORD={password}", "sh", path]);
        }
        finally
        {
            File.Delete(path);
        }

        var asRole = new NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString) { Username = role, Password = password, Database = database, Pooling = false };
        var runner = new MigrationRunner(Microsoft.Extensions.Options.Options.Create(new Api.Infrastructure.Settings.ConnectionOptions()), new MigrationState(),
            NullLogger<MigrationRunner>.Instance, TimeProvider.System);
        await runner.MigrateAsync(asRole.ConnectionString, CancellationToken.None);

        await using var connection = new NpgsqlConnection(asRole.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, pg_get_userbyid(d.datdba) = current_user,
                   (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user),
                   (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user)
            FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((false, false, false, true), (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)));
        Assert.True(reader.GetInt64(4) > 1, "the migrations' tables (and their journal) belong to the role");
        Assert.Equal(0, reader.GetInt64(5));
    }
}
