using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Host.OpenApi;

/// <summary>
/// On every rate-limited route: the <c>RateLimit-*</c> headers on each answer, and <c>Retry-After</c> on the 429 that
/// <see cref="ProblemResponses"/> declares. After it, so that every response it adds has them too.
/// </summary>
internal static class RateLimitResponses
{
    private static readonly (string Name, string Description)[] Headers =
    [
        ("RateLimit-Limit", "The requests the client's budget holds (the tightest budget the request drew from)."),
        ("RateLimit-Remaining", "The requests left in that budget right now."),
        ("RateLimit-Reset", "Seconds until that budget is full again."),
    ];

    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            return;
        }
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse answer)
            {
                continue;
            }
            answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (name, description) in Headers)
            {
                answer.Headers[name] = IntegerHeader(description);
            }
            if (status == "429")
            {
                answer.Headers["Retry-After"] = IntegerHeader("Seconds to wait before the next request can be allowed.");
            }
        }
    }

    private static OpenApiHeader IntegerHeader(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" } };
}
