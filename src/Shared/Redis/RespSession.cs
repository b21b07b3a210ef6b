using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Shared.Redis;

/// <summary>
/// One TCP connection speaking RESP, shared by any number of concurrent callers. Callers' commands queue up; one
/// writer loop takes whatever has queued and sends it in one write (pipelining comes for free under load), noting
/// each command in a FIFO of pending replies first; one reader loop matches replies to that FIFO in order. In push
/// mode (pub/sub) every reply goes to the push handler instead. Any I/O failure closes the session and fails every
/// pending command at once: nobody waits on a dead socket.
/// </summary>
internal sealed class RespSession : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly Channel<Pending> _outgoing = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<Pending> _awaiting = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<RespValue>? _onPush;

    private sealed record Pending(byte[] Command, TaskCompletionSource<RespValue>? Reply, long SentAt);

    private RespSession(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    /// <summary>Completes when the session has died (or been disposed).</summary>
    public Task Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>How long the oldest unanswered command has waited; a long wait means the server has stopped answering.</summary>
    public TimeSpan OldestWait => _awaiting.TryPeek(out var oldest) ? Stopwatch.GetElapsedTime(oldest.SentAt) : TimeSpan.Zero;

    public static async Task<RespSession> ConnectAsync(RedisOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new RedisConnectionException($"Could not connect to Redis at {options.Host}:{options.Port}.", e);
        }
        var session = new RespSession(socket);
        _ = session.WriteAsync();
        _ = session.ReadAsync();
        try
        {
            if (options.Password is not null)
            {
                await session.HandshakeAsync(options, options.User is null ? ["AUTH", options.Password] : ["AUTH", options.User, options.Password]);
            }
            if (options.Database != 0)
            {
                await session.HandshakeAsync(options, ["SELECT", options.Database]);
            }
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    private async Task HandshakeAsync(RedisOptions options, object[] command) =>
        await SendAsync(Resp.Command(command)).WaitAsync(options.ConnectTimeout);

    /// <summary>From now on every reply is a push (pub/sub messages and confirmations), not an answer to a caller.</summary>
    public void SwitchToPushMode(Action<RespValue> onPush) => _onPush = onPush;

    public Task<RespValue> SendAsync(byte[] command)
    {
        var reply = new TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outgoing.Writer.TryWrite(new Pending(command, reply, Stopwatch.GetTimestamp())))
        {
            reply.SetException(new RedisConnectionException("The connection to Redis has closed."));
        }
        return reply.Task;
    }

    /// <summary>Sends without waiting for an answer (pub/sub commands, whose confirmations arrive as pushes).</summary>
    public void Post(byte[] command) => _outgoing.Writer.TryWrite(new Pending(command, null, Stopwatch.GetTimestamp()));

    public void Fail(Exception cause)
    {
        if (!_closed.TrySetResult())
        {
            return;
        }
        _outgoing.Writer.TryComplete();
        _socket.Dispose();
        var failure = cause as RedisConnectionException ?? new RedisConnectionException("The connection to Redis was lost.", cause);
        while (_awaiting.TryDequeue(out var pending) || _outgoing.Reader.TryRead(out pending))
        {
            pending.Reply?.TrySetException(failure);
        }
    }

    public ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException("The connection to Redis was closed."));
        return ValueTask.CompletedTask;
    }

    private async Task WriteAsync()
    {
        var batch = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync())
            {
                while (batch.WrittenCount < 1 << 20 && _outgoing.Reader.TryRead(out var pending))
                {
                    if (pending.Reply is not null && _onPush is null)
                    {
                        _awaiting.Enqueue(pending);
                    }
                    batch.Write(pending.Command);
                }
                await _stream.WriteAsync(batch.WrittenMemory);
                batch.ResetWrittenCount();
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync();
                var buffer = result.Buffer;
                var consumed = Dispatch(buffer);
                _reader.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    throw new RedisConnectionException("Redis closed the connection.");
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private SequencePosition Dispatch(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        var consumed = reader.Position;
        while (Resp.TryRead(ref reader, out var value))
        {
            consumed = reader.Position;
            if (_onPush is { } push)
            {
                push(value);
            }
            else if (_awaiting.TryDequeue(out var pending))
            {
                if (value.Kind == RespKind.Error)
                {
                    pending.Reply!.TrySetException(new RedisServerException(value.Text!));
                }
                else
                {
                    pending.Reply!.TrySetResult(value);
                }
            }
            else
            {
                throw new RedisConnectionException("Redis sent a reply nobody asked for.");
            }
        }
        return consumed;
    }
}
