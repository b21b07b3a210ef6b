using Polls.Contracts;
using Shared.Messaging;
using Votes.Contracts;
using Webhooks.Data;
using Wolverine.Runtime;

namespace Webhooks.Features.FanOut;

/// <summary>Wolverine's entry to <see cref="WebhookFanOut"/>: the events tenants subscribe to, in a transaction on the Webhooks context.</summary>
public static class FanOutHandler
{
    public static Task Handle(PollOpened message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        transactions.RunAsync<WebhooksDbContext, WebhookFanOut>(context, (fanOut, ct) => fanOut.FanOutAsync(message, ct), cancellationToken);

    public static Task Handle(PollClosed message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        transactions.RunAsync<WebhooksDbContext, WebhookFanOut>(context, (fanOut, ct) => fanOut.FanOutAsync(message, ct), cancellationToken);

    public static Task Handle(PollResultsFinal message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        transactions.RunAsync<WebhooksDbContext, WebhookFanOut>(context, (fanOut, ct) => fanOut.FanOutAsync(message, ct), cancellationToken);
}
