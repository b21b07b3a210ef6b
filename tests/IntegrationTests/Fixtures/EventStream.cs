using System.Text.Json;

namespace IntegrationTests.Fixtures;

/// <summary>Reads a Server-Sent Events response the way a browser's EventSource would, one event at a time.</summary>
public sealed class EventStream(HttpResponseMessage response) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(response.Content.ReadAsStream());

    /// <summary>The data of the next event named <paramref name="name"/>, skipping comments (heartbeats).</summary>
    public async Task<JsonElement> NextAsync(string name = "results", double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        string? eventName = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The stream ended.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name)
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement;
            }
        }
    }

    /// <summary>Events until one satisfies <paramref name="holds"/>.</summary>
    public async Task<JsonElement> UntilAsync(Func<JsonElement, bool> holds, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var next = await NextAsync(seconds: Math.Max(0.1, (deadline - DateTime.UtcNow).TotalSeconds));
            if (holds(next))
            {
                return next;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
