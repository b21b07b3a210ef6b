using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationTests.Fixtures;

/// <summary>A request the receiver got: its headers as sent and its body's exact bytes.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string Header(string name) => Headers[name.ToLowerInvariant()];
}

/// <summary>
/// A local HTTP server on 127.0.0.1 standing in for a tenant's webhook endpoint: it keeps every request and answers
/// each path with the statuses queued for it, then 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answers = new();
    private readonly ConcurrentDictionary<string, int> _always = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.Run(receiver.AnswerAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Address = new Uri(address);
        return receiver;
    }

    /// <summary>A URL on this receiver; each test uses paths of its own.</summary>
    public string Url(string path) => new Uri(Address, path).ToString();

    public void AnswerNext(string path, params int[] statuses)
    {
        var queue = _answers.GetOrAdd(path, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses)
        {
            queue.Enqueue(status);
        }
    }

    public void AlwaysAnswer(string path, int status) => _always[path] = status;

    /// <summary>Requests on the path get no answer until <see cref="Release"/> (or their sender goes away).</summary>
    public void Hold(string path) => _held[path] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string path)
    {
        if (_held.TryRemove(path, out var hold))
        {
            hold.TrySetResult();
        }
    }

    public IReadOnlyList<ReceivedWebhook> On(string path) => _received.Where(r => r.Path == path).ToList();

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var path = context.Request.Path.Value ?? "";
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.Enqueue(new ReceivedWebhook(path, headers, body.ToArray(), DateTimeOffset.UtcNow));
        if (_held.TryGetValue(path, out var hold))
        {
            await hold.Task.WaitAsync(context.RequestAborted);
        }
        context.Response.StatusCode = _answers.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next
            : _always.GetValueOrDefault(path, StatusCodes.Status200OK);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
