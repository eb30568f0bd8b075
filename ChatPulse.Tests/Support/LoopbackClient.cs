using System.Net.Sockets;

namespace ChatPulse.Tests.Support;

/// <summary>
/// HTTP clients that connect from a chosen loopback address (127.x.y.z: Linux routes all of 127/8 to lo), so a test
/// is its own "client IP" for per-IP rate limits, and tests do not share buckets.
/// </summary>
public static class LoopbackClient
{
    private static int _next;

    /// <summary>A loopback address no other test in this run uses.</summary>
    public static IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 1, (byte)(n / 250), (byte)(n % 250 + 2)]);
    }

    /// <summary>A handler that does not follow redirects and keeps cookies in <paramref name="cookies"/>.</summary>
    public static SocketsHttpHandler Handler(IPAddress source, CookieContainer? cookies = null) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                var host = context.DnsEndPoint.Host;
                var address = IPAddress.TryParse(host, out var literal) ? literal
                    : (await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken))[0];
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static HttpClient Create(Uri baseAddress, IPAddress? source = null, CookieContainer? cookies = null) =>
        new(Handler(source ?? NextAddress(), cookies)) { BaseAddress = baseAddress, Timeout = Waits.Short };
}
