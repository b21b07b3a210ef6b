namespace Shared.Messaging;

/// <summary>Handles one message at a time, inside a transaction on its module's DbContext.</summary>
public interface IMessageHandler<in TMessage>
{
    Task HandleAsync(TMessage message, CancellationToken cancellationToken);
}

/// <summary>Answers a request in-process (<see cref="IMessageBus.InvokeAsync{TResponse}"/>); not durable.</summary>
public interface IRequestHandler<in TRequest, TResponse>
{
    Task<TResponse> HandleAsync(TRequest request, CancellationToken cancellationToken);
}

/// <summary>How often and how patiently a message type is retried before it becomes a dead letter.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly RetryPolicy Default = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

    /// <summary>Exponential backoff with ±50% jitter, so that a burst of failures does not retry in lockstep.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var exponential = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
    }
}
