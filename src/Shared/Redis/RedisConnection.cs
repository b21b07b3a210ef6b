using Microsoft.Extensions.Logging;

namespace Shared.Redis;

/// <summary>
/// Keeps one <see cref="RespSession"/> to Redis alive: connects, and after a failure reconnects by itself with
/// backoff (100 ms doubling to 5 s). Callers never wait longer than the command timeout: while a connection is being
/// made they wait for it within their timeout, and between attempts they fail at once.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(5);

    private readonly RedisOptions _options;
    private readonly Func<RespSession, Task> _onConnected;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _supervisor;
    private TaskCompletionSource<RespSession> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _backingOff;

    public RedisConnection(RedisOptions options, Func<RespSession, Task> onConnected, ILogger logger)
    {
        _options = options;
        _onConnected = onConnected;
        _logger = logger;
        // On the thread pool: started from the constructor, it would otherwise capture the constructing caller's
        // synchronization context (a UI's, a test runner's), and every read and write after it would queue there.
        _supervisor = Task.Run(SuperviseAsync);
    }

    public async Task<RespValue> ExecuteAsync(byte[] command)
    {
        var session = await SessionAsync();
        try
        {
            return await session.SendAsync(command).WaitAsync(_options.CommandTimeout);
        }
        catch (TimeoutException)
        {
            // A server that has stopped answering (not merely a slow command) gets its connection replaced.
            if (session.OldestWait > _options.CommandTimeout * 2)
            {
                session.Fail(new RedisConnectionException("Redis stopped answering."));
            }
            throw new RedisTimeoutException($"Redis did not answer within {_options.CommandTimeout.TotalMilliseconds} ms.");
        }
    }

    /// <summary>The live session, waiting for one being made within the command timeout.</summary>
    public async Task<RespSession> SessionAsync()
    {
        var pending = Volatile.Read(ref _connected).Task;
        if (pending.IsCompletedSuccessfully && pending.Result.IsOpen)
        {
            return pending.Result;
        }
        if (_backingOff)
        {
            throw new RedisConnectionException("Redis is unreachable; reconnecting in the background.");
        }
        try
        {
            return await pending.WaitAsync(_options.CommandTimeout);
        }
        catch (TimeoutException)
        {
            throw new RedisConnectionException($"No connection to Redis within {_options.CommandTimeout.TotalMilliseconds} ms.");
        }
    }

    private async Task SuperviseAsync()
    {
        var backoff = FirstBackoff;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var session = await RespSession.ConnectAsync(_options, _stop.Token);
                await _onConnected(session);
                _backingOff = false;
                backoff = FirstBackoff;
                Volatile.Read(ref _connected).TrySetResult(session);
                await session.Closed;
                _logger.LogWarning("The connection to Redis at {Host}:{Port} was lost; reconnecting", _options.Host, _options.Port);
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                _logger.LogDebug(e, "Could not connect to Redis; retrying in {Backoff}", backoff);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Disposed: whatever the attempt in flight ended with (a cancelled connect is a connection error).
                return;
            }
            // Whoever waits for the attempt that failed learns it now, not at their timeout.
            Interlocked.Exchange(ref _connected, new TaskCompletionSource<RespSession>(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetException(new RedisConnectionException("Redis is unreachable; reconnecting in the background."));
            _backingOff = true;
            try
            {
                await Task.Delay(backoff, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _backingOff = false;
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastBackoff.Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Volatile.Read(ref _connected).Task is { IsCompletedSuccessfully: true } connected)
        {
            await connected.Result.DisposeAsync();
        }
        await _supervisor;
        _stop.Dispose();
    }
}
