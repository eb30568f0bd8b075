using System.Net.Sockets;
using System.Text;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.BadInput;

/// <summary>
/// HTTP/1.1 written byte by byte over a TCP socket from a loopback address of its own, for framing no HttpClient sends
/// (broken chunking, a body shorter than its Content-Length, huge headers). Returns the status line's code, or null
/// when the server closed the connection without answering.
/// </summary>
public static class RawHttp
{
    /// <param name="halfClose">Ends the sending side after the request, as a client that gives up mid-body does.</param>
    public static async Task<int?> SendAsync(Uri site, byte[] request, bool halfClose = false)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Waits.Short);
        socket.Bind(new IPEndPoint(LoopbackClient.NextAddress(), 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, site.Port), timeout.Token);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            if (halfClose)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server may stop reading and answer (431, 413) before the whole request is written.
        }

        var buffer = new byte[256];
        var received = 0;
        try
        {
            while (received < 12)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received += read;
            }
        }
        catch (SocketException)
        {
        }

        // "HTTP/1.1 400 Bad Request"
        var head = Encoding.ASCII.GetString(buffer, 0, received);
        return head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var status)
            ? status
            : null;
    }

    /// <summary>A request head (request line, Host, the given headers, blank line) followed by <paramref name="body"/>.</summary>
    public static byte[] Request(string method, string target, IEnumerable<string> headers, byte[] body)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        return [.. Encoding.Latin1.GetBytes(head.Append("\r\n").ToString()), .. body];
    }
}
