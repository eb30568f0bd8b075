using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.AppHost.LocalServices;

/// <summary>A Redis server run as a local process (no container runtime).</summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}");
}

public static class LocalRedisExtensions
{
    /// <summary>Adds <c>redis-server</c> as a local process on a free loopback port, with no persistence.</summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, string workingDirectory)
    {
        var command = builder.Configuration["ChatPulse:RedisServerPath"]
            ?? LocalProcess.OnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server not found on PATH; install it (apt-get install redis-server) or set ChatPulse:RedisServerPath.");
        var passwordValue = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var password = builder.AddParameter($"{name}-password", () => passwordValue, secret: true)
            .WithDescription("Password of the local redis-server, new on every run (Redis keeps nothing between runs).");
        var port = LocalProcess.FreeTcpPort();

        var healthCheckKey = $"{name}-answers";
        builder.Services.AddHealthChecks().AddRedis($"localhost:{port},password={passwordValue},abortConnect=false,connectTimeout=2000", name: healthCheckKey);

        Directory.CreateDirectory(workingDirectory);
        return builder.AddResource(new LocalRedisResource(name, command, workingDirectory, password.Resource))
            .WithArgs("--port", port.ToString(), "--bind", "127.0.0.1", "-::1", "--save", "", "--appendonly", "no")
            .WithArgs("--requirepass", password.Resource)
            .WithEndpoint(name: LocalRedisResource.EndpointName, port: port, targetPort: port, isProxied: false)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Memory");
    }
}
