using System.Security.Cryptography;

namespace ChatPulse.Api.Infrastructure;

/// <summary>This replica's name in cluster-wide state: the pod (host) name plus a random suffix per process.</summary>
public sealed class ReplicaIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
}
