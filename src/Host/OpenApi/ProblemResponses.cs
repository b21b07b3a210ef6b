using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Shared.Idempotency;
using Shared.Problems;

namespace Host.OpenApi;

/// <summary>
/// Every error response of every operation is one schema, <c>Problem</c>, as the server sends it: generated clients
/// get typed errors whose <c>code</c> is an enum of <see cref="ProblemCodes"/> and the modules' own codes. Errors that any route of a kind can
/// answer (an unknown id, a body that is not JSON, an idempotency key reused, a rate used up) are declared here, so that a new route
/// has them without asking.
/// </summary>
internal static class ProblemResponses
{
    public const string SchemaName = "Problem";
    private const string MediaType = "application/problem+json";

    private static readonly string[] SharedCodes = typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral).Select(field => (string)field.GetRawConstantValue()!).ToArray();

    public static void AddSchema(OpenApiDocument document, IEnumerable<ModuleProblemCodes> modules)
    {
        var codes = SharedCodes.Concat(modules.SelectMany(module => module.Codes)).Select(code => (JsonNode)JsonValue.Create(code)).ToList();
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        // The framework's own problem schemas, which every error response pointed at before Apply replaced them.
        document.Components.Schemas.Remove("ProblemDetails");
        document.Components.Schemas.Remove("HttpValidationProblemDetails");
        document.Components.Schemas[SchemaName] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details with the stable code clients switch on.",
            Required = new HashSet<string> { "status", "title", "code", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = codes },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id of the request; quote it when reporting a problem." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "For validation_failed: the messages of each field that was refused.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    /// <summary>Declares the errors every route of its kind can answer, then points each error response at the schema.</summary>
    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (operation.Parameters?.Any(parameter => parameter.In == ParameterLocation.Path) == true)
        {
            Add(operation, "404", "No such resource in the caller's tenant (or, on a public route, no such published poll).");
        }
        if (operation.RequestBody is not null)
        {
            Add(operation, "400", "The request is not valid: code validation_failed, with the messages of each field in errors.");
            Add(operation, "413", "The request body is larger than the server takes (payload_too_large).");
            Add(operation, "415", "The request body is not application/json (unsupported_media_type).");
        }
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentCreate>().Any())
        {
            Add(operation, "422", "The Idempotency-Key was used before with another body (idempotency_key_reused).");
        }
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Add(operation, "429", "The client has used up its request rate (rate_limited); Retry-After says when to try again.");
        }
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse problem)
            {
                problem.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [MediaType] = new() { Schema = new OpenApiSchemaReference(SchemaName, context.Document) },
                };
            }
        }
    }

    public static void Add(OpenApiOperation operation, string status, string description)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status, new OpenApiResponse { Description = description });
    }
}
