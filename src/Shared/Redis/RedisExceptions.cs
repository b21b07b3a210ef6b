namespace Shared.Redis;

/// <summary>Anything that went wrong talking to Redis.</summary>
public class RedisException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Redis answered with an error; <see cref="Kind"/> is its first word (ERR, NOSCRIPT, WRONGTYPE, ...).</summary>
public sealed class RedisServerException(string message) : RedisException(message)
{
    public string Kind { get; } = message.Split(' ', 2)[0];
}

/// <summary>There is no working connection to Redis just now; the client is reconnecting by itself.</summary>
public sealed class RedisConnectionException(string message, Exception? inner = null) : RedisException(message, inner);

/// <summary>Redis did not answer within the command timeout.</summary>
public sealed class RedisTimeoutException(string message) : RedisException(message);
