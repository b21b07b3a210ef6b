namespace Shared.Idempotency;

/// <summary>One remembered request: who sent it under which key, what it was, and the response it got.</summary>
public sealed class IdempotentRequest
{
    public string Scope { get; init; } = "";
    public string Key { get; init; } = "";
    public byte[] RequestHash { get; init; } = [];
    public int? Status { get; init; }
    public string? ContentType { get; init; }
    public string? Location { get; init; }
    public byte[]? Body { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
