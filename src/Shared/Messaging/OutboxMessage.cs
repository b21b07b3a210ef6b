namespace Shared.Messaging;

/// <summary>A row of the retired bus's outbox (see <see cref="MessagingDbContext"/>).</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }

    /// <summary>Filled by the database from the transaction's <c>app.tenant_id</c>: the tenant whose unit of work wrote it.</summary>
    public Guid? TenantId { get; init; }

    public string MessageType { get; init; } = "";
    public string Payload { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the message may be delivered: now for events, later for scheduled messages and retries.</summary>
    public DateTimeOffset DueAt { get; init; }

    public int Attempts { get; init; }

    /// <summary>While in the future, one relay owns the message; a relay that dies lets the lease run out.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    public string? LastError { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }
}

/// <summary>A row of the retired bus's dead letters.</summary>
public sealed class DeadLetter
{
    public Guid Id { get; init; }
    public Guid? TenantId { get; init; }
    public string MessageType { get; init; } = "";
    public string Payload { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset FailedAt { get; init; }
    public int Attempts { get; init; }
    public string Error { get; init; } = "";
}

/// <summary>A row of the retired bus's inbox.</summary>
public sealed class InboxEntry
{
    public Guid MessageId { get; init; }

    /// <summary>Filled by the database from <c>app.tenant_id</c>, like the outbox's, so a tenant's inbox moves with it.</summary>
    public Guid? TenantId { get; init; }
    public string Handler { get; init; } = "";
    public DateTimeOffset ProcessedAt { get; init; }
}
