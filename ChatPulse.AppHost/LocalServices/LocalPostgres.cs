using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.AppHost.LocalServices;

/// <summary>A PostgreSQL server run as a local process (no container runtime).</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}

public static class LocalPostgresExtensions
{
    /// <summary>
    /// Adds PostgreSQL as a local process: <c>initdb</c> into <paramref name="dataRoot"/> on first run, then
    /// <c>postgres</c> on a free loopback port. As root, both run as the <c>postgres</c> OS user, since
    /// Postgres refuses to run as root.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string dataRoot)
    {
        var binDirectory = FindBinDirectory(builder.Configuration["ChatPulse:PostgresBinDirectory"]);
        var osUser = LocalProcess.IsRoot ? "postgres" : null;
        var dataDirectory = Path.Combine(dataRoot, "pgdata");
        var passwordFile = Path.Combine(dataRoot, "postgres-password");
        // The password lives beside the data it protects, so a data directory made by an earlier run keeps working.
        var passwordValue = ReadOrCreatePassword(dataRoot, passwordFile, osUser);
        var password = builder.AddParameter($"{name}-password", () => passwordValue, secret: true)
            .WithDescription($"Password of the local Postgres superuser, generated on first run and kept in {passwordFile}.");
        var port = LocalProcess.FreeTcpPort();

        var (command, prefix) = LocalProcess.AsUser(Path.Combine(binDirectory, "postgres"), osUser, "INT");
        var server = builder.AddResource(new LocalPostgresResource(name, command, dataRoot, password.Resource))
            .WithArgs(prefix)
            .WithArgs("-D", dataDirectory, "-p", port.ToString(), "-c", "listen_addresses=localhost", "-c", "unix_socket_directories=", "-c", "fsync=off")
            .WithEndpoint(name: LocalPostgresResource.EndpointName, port: port, targetPort: port, isProxied: false)
            .WithIconName("Database");

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            var (initCommand, initPrefix) = LocalProcess.AsUser(Path.Combine(binDirectory, "initdb"), osUser, "TERM");
            var init = builder.AddExecutable($"{name}-initdb", initCommand, dataRoot)
                .WithArgs(initPrefix)
                .WithArgs("-D", dataDirectory, "-U", "postgres", $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8", "--no-instructions")
                .WithParentRelationship(server);
            server.WaitForCompletion(init);
            // A half-finished earlier initdb leaves a directory initdb refuses to reuse.
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        var healthCheckKey = $"{name}-accepts-connections";
        var probeConnectionString = $"Host=localhost;Port={port};Username=postgres;Password={passwordValue};Database=postgres;Timeout=3";
        builder.Services.AddHealthChecks().AddNpgSql(probeConnectionString, name: healthCheckKey);
        return server.WithHealthCheck(healthCheckKey);
    }

    private static string ReadOrCreatePassword(string dataRoot, string passwordFile, string? osUser)
    {
        if (File.Exists(passwordFile))
        {
            return File.ReadAllText(passwordFile).Trim();
        }

        Directory.CreateDirectory(dataRoot);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(passwordFile, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (osUser is not null)
        {
            LocalProcess.Run("chown", ["-R", $"{osUser}:{osUser}", dataRoot], TimeSpan.FromSeconds(10));
        }

        return password;
    }

    private static string FindBinDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        const string debianRoot = "/usr/lib/postgresql";
        var newest = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return newest
            ?? Path.GetDirectoryName(LocalProcess.OnPath("postgres") ?? LocalProcess.OnPath("initdb") ?? "")
            ?? throw new InvalidOperationException("PostgreSQL binaries not found; install PostgreSQL or set ChatPulse:PostgresBinDirectory.");
    }
}
