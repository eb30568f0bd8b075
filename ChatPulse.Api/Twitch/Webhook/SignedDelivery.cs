using System.Buffers;
using System.Text;

namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>
/// A webhook request read into one pooled buffer laid out as Twitch signs it — message id, timestamp header,
/// raw body bytes — so the HMAC runs over the bytes as received, with no copy and no re-serialising.
/// Dispose returns the buffer to the pool.
/// </summary>
internal sealed class SignedDelivery : IDisposable
{
    /// <summary>The largest body accepted; Twitch's chat notifications are a few KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private byte[] _buffer;
    private readonly int _bodyStart;
    private int _length;

    private SignedDelivery(byte[] buffer, int bodyStart)
    {
        _buffer = buffer;
        _bodyStart = bodyStart;
        _length = bodyStart;
    }

    public ReadOnlySpan<byte> SignedBytes => _buffer.AsSpan(0, _length);

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(_bodyStart, _length - _bodyStart);

    /// <summary>Reads the body after the id and timestamp; null when it exceeds <see cref="MaxBodyBytes"/>.</summary>
    public static async Task<SignedDelivery?> ReadAsync(HttpRequest request, string messageId, string timestamp, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var prefix = Encoding.UTF8.GetByteCount(messageId) + Encoding.UTF8.GetByteCount(timestamp);
        // One spare byte, so the read that returns 0 (end of body) needs no larger buffer.
        var delivery = new SignedDelivery(ArrayPool<byte>.Shared.Rent(prefix + (int)(request.ContentLength ?? 4096) + 1), prefix);
        var written = Encoding.UTF8.GetBytes(messageId, delivery._buffer);
        Encoding.UTF8.GetBytes(timestamp, delivery._buffer.AsSpan(written));
        try
        {
            while (true)
            {
                if (delivery._length == delivery._buffer.Length)
                {
                    delivery.Grow();
                }

                var read = await request.Body.ReadAsync(delivery._buffer.AsMemory(delivery._length), cancellationToken);
                if (read == 0)
                {
                    return delivery;
                }

                delivery._length += read;
                if (delivery._length - prefix > MaxBodyBytes)
                {
                    delivery.Dispose();
                    return null;
                }
            }
        }
        catch
        {
            delivery.Dispose();
            throw;
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _bodyStart + MaxBodyBytes + 1));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
