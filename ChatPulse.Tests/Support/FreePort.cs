using System.Net.Sockets;

namespace ChatPulse.Tests.Support;

/// <summary>Loopback ports for the processes and listeners a test starts.</summary>
public static class FreePort
{
    /// <summary>
    /// A loopback port nobody listens on right now (the system's pick, released again at once): free when chosen, so a
    /// process started on it may still lose it to another; <see cref="ApiInstance"/> checks it owns its listener.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
