using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Shared.OpenApi;

namespace Host.OpenApi;

/// <summary>
/// The headers of caching and concurrency, where the server honours them: <c>ETag</c> on the successes of routes
/// marked <see cref="EntityTagged"/>, <c>Location</c> on the 201 of routes marked <see cref="LocationSent"/>,
/// <c>If-None-Match</c> where a 304 is declared and <c>If-Match</c> where a 412 is.
/// </summary>
internal static class ConditionalRequests
{
    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var responses = operation.Responses ?? [];
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var tagged = metadata.OfType<EntityTagged>().Any();
        var located = metadata.OfType<LocationSent>().Any();
        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse success || status[0] != '2')
            {
                continue;
            }
            if (tagged && success.Content is { Count: > 0 })
            {
                AddHeader(success, "ETag", "The resource's entity tag: send it as If-None-Match to revalidate, or as If-Match to change it safely.");
            }
            if (located && status == "201")
            {
                AddHeader(success, "Location", "The URL of the created resource.");
            }
        }
        if (responses.ContainsKey("304"))
        {
            AddParameter(operation, "If-None-Match", "An ETag from an earlier answer: 304 Not Modified while it is still current.");
        }
        if (responses.ContainsKey("412"))
        {
            AddParameter(operation, "If-Match", "The ETag the change was based on: 412 precondition_failed if the resource has changed since.");
        }
    }

    private static void AddHeader(OpenApiResponse response, string name, string description)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }

    private static void AddParameter(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }
}
