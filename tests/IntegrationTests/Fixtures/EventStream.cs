using System.Threading.Channels;

namespace IntegrationTests.Fixtures;

/// <summary>One thing a Server-Sent Events stream sent: an event (with its id, name and data) or a comment (a heartbeat).</summary>
public sealed record StreamFrame(string? Id, string? Event, string? Data, string? Comment)
{
    public JsonElement Json => JsonDocument.Parse(Data!).RootElement;
}

/// <summary>
/// Reads a Server-Sent Events response the way a browser's EventSource would, one frame at a time. One reader pumps the
/// response into a queue from the start, so waiting for a frame with a timeout never disturbs the response itself.
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<StreamFrame> _frames = Channel.CreateUnbounded<StreamFrame>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public EventStream(HttpResponseMessage response)
    {
        _response = response;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The next frame, null when the server ended the stream; throws <see cref="OperationCanceledException"/> when none comes in time.</summary>
    public async Task<StreamFrame?> NextFrameAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        return await _frames.Reader.WaitToReadAsync(deadline.Token) && _frames.Reader.TryRead(out var frame) ? frame : null;
    }

    private async Task PumpAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            string? id = null, name = null, data = null, comment = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (id is not null || name is not null || data is not null || comment is not null)
                    {
                        await _frames.Writer.WriteAsync(new StreamFrame(id, name, data, comment));
                    }
                    (id, name, data, comment) = (null, null, null, null);
                }
                else if (line.StartsWith(':'))
                {
                    comment = line[1..].Trim();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line["id: ".Length..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // The connection broke: whoever reads next hears of it.
            _frames.Writer.TryComplete(e);
        }
        catch (Exception)
        {
            // Disposed while reading.
        }
        _frames.Writer.TryComplete();
    }

    /// <summary>Every frame that arrives within <paramref name="span"/>, and whether the stream ended in it.</summary>
    public async Task<(List<StreamFrame> Frames, bool Ended)> FramesDuringAsync(TimeSpan span)
    {
        var frames = new List<StreamFrame>();
        var until = DateTime.UtcNow + span;
        while (until - DateTime.UtcNow is { } left && left > TimeSpan.Zero)
        {
            try
            {
                if (await NextFrameAsync(left) is not { } frame)
                {
                    return (frames, true);
                }
                frames.Add(frame);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (frames, false);
    }

    /// <summary>The data of the next event named <paramref name="name"/>, skipping comments (heartbeats).</summary>
    public async Task<JsonElement> NextAsync(string name = "results", double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var frame = await NextFrameAsync(Max(deadline - DateTime.UtcNow)) ?? throw new EndOfStreamException("The stream ended.");
            if (frame.Event == name)
            {
                return frame.Json;
            }
        }
    }

    /// <summary>Events until one satisfies <paramref name="holds"/>.</summary>
    public async Task<JsonElement> UntilAsync(Func<JsonElement, bool> holds, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var next = await NextAsync(seconds: Max(deadline - DateTime.UtcNow).TotalSeconds);
            if (holds(next))
            {
                return next;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _pump;
        _stop.Dispose();
    }

    private static TimeSpan Max(TimeSpan left) => left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
}
