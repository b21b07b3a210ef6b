using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Http;
using Shared.Messaging;
using Shared.Problems;
using Shared.Validation;

namespace Host.Operations;

internal sealed record DeadLetterView(Guid Id, string MessageType, JsonElement Payload, DateTimeOffset CreatedAt, DateTimeOffset FailedAt, int Attempts, string Error);

/// <summary>Operators list the messages that exhausted their retries, and replay one once its cause is fixed.</summary>
internal static class DeadLetterEndpoints
{
    public static void Map(RouteGroupBuilder ops)
    {
        ops.MapGet("/dead-letters", ListAsync)
            .WithSummary("Messages that exhausted their retries (X-Operator-Key)")
            .WithName("listDeadLetters")
            .WithDescription("Operators only. Keyset-paginated with limit and the nextCursor of the previous page; each carries its payload, attempts and last error.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        ops.MapPost("/dead-letters/{id}/replay", ReplayAsync)
            .WithSummary("Deliver a dead letter again, with fresh attempts (X-Operator-Key)")
            .WithName("replayDeadLetter")
            .WithDescription("Operators only. The message goes back to its handler with its retries reset, within seconds; 202 once that is arranged.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<Page<DeadLetterView>>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, DeadLetters deadLetters, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (PageRequest.Parse(limit, cursor, errors) is not { } page)
        {
            return errors.ToProblem();
        }
        var rows = await deadLetters.ListAsync(page.Limit + 1, page.After, cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, d => d.Id,
            d => new DeadLetterView(d.Id, d.MessageType, JsonDocument.Parse(d.Payload).RootElement, d.SentAt, d.FailedAt, d.Attempts, d.Error)));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(string id, DeadLetters deadLetters, CancellationToken cancellationToken) =>
        RouteId.TryParse(id, out var messageId) && await deadLetters.ReplayAsync(messageId, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : ApiProblem.NotFound("The dead letter");
}
