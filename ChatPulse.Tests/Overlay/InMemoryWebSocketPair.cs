using System.IO.Pipelines;
using System.Net.WebSockets;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// A server and a client WebSocket joined by in-memory pipes. The server's writes pass a gate the test can
/// hold shut, which is what a peer that stopped reading looks like from the server.
/// </summary>
internal sealed class InMemoryWebSocketPair : IDisposable
{
    private readonly GatedStream _serverStream;

    public InMemoryWebSocketPair(bool writesBlocked = false)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        _serverStream = new GatedStream(toServer.Reader.AsStream(), toClient.Writer.AsStream(), writesBlocked);
        Server = WebSocket.CreateFromStream(_serverStream, new WebSocketCreationOptions { IsServer = true });
        Client = WebSocket.CreateFromStream(new GatedStream(toClient.Reader.AsStream(), toServer.Writer.AsStream(), false),
            new WebSocketCreationOptions { IsServer = false });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    /// <summary>Completes when the server first tries to write.</summary>
    public Task ServerWriteStarted => _serverStream.WriteStarted;

    public void UnblockServerWrites() => _serverStream.Open();

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }

    private sealed class GatedStream(Stream read, Stream write, bool blocked) : Stream
    {
        private readonly TaskCompletionSource _gate = NewGate(open: !blocked);
        private readonly TaskCompletionSource _writeStarted = NewGate(open: false);

        public Task WriteStarted => _writeStarted.Task;

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Open() => _gate.TrySetResult();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _writeStarted.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            await write.WriteAsync(buffer, cancellationToken);
            await write.FlushAsync(cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private static TaskCompletionSource NewGate(bool open)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open)
            {
                gate.SetResult();
            }

            return gate;
        }
    }
}
