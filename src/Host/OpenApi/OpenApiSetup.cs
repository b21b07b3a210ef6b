using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Shared.Idempotency;
using Shared.Json;
using Shared.OpenApi;
using Shared.Problems;

namespace Host.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json and the Scalar reference page over it at /scalar.</summary>
internal static class OpenApiSetup
{
    private const string Bearer = "Bearer";
    private const string ApiKey = "ApiKey";

    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Polling Platform API",
                    Version = "v1",
                    Description = "Organisations create polls, the public votes, results go live. Errors are application/problem+json with a stable `code`.",
                    Contact = new OpenApiContact { Name = "Polling Platform API team" },
                };
                // The server is the address the document was asked at; paths start with a slash of their own.
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from POST /api/auth/token.",
                };
                document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Api-Key",
                    Description = "A tenant API key from POST /api/api-keys.",
                };
                ProblemResponses.AddSchema(document, context.ApplicationServices.GetServices<ModuleProblemCodes>());
                RequestBodies.Apply(document);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(RequestBodies.ApplyAsync);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, context.Document)] = [] },
                    ];
                    ProblemResponses.Add(operation, "401", "Missing, invalid or expired credentials (invalid_token).");
                    ProblemResponses.Add(operation, "403", "The caller's role does not allow this (forbidden).");
                }
                if (metadata.OfType<IdempotentCreate>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyMiddleware.HeaderName,
                        In = ParameterLocation.Header,
                        Description = "Optional. A repeat with the same key and body returns the original response; the same key with another body is 422.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                }
                if (metadata.OfType<RequestExample>().FirstOrDefault() is { } example && operation.RequestBody?.Content is { } content)
                {
                    foreach (var mediaType in content.Values)
                    {
                        mediaType.Example = JsonSerializer.SerializeToNode(example.Body, ApiJson.Options);
                    }
                }
                IdParameters.Apply(operation);
                PagingParameters.Apply(operation);
                ConditionalRequests.Apply(operation, context);
                ProblemResponses.Apply(operation, context);
                RateLimitResponses.Apply(operation, context);
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapPlatformOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        // The page is served whole by the Host and calls nothing outside it: no fonts from a CDN (local fonts instead),
        // no telemetry, no developer toolbar, no AI agent or MCP integration (which would talk to Scalar's servers).
        app.MapScalarApiReference(options => options.WithTitle("Polling Platform API")
            .DisableDefaultFonts().DisableTelemetry().HideDeveloperTools().DisableAgent().DisableMcp()).AllowAnonymous();
        return app;
    }
}
