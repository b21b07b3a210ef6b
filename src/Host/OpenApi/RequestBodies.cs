using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Shared.OpenApi;

namespace Host.OpenApi;

/// <summary>
/// The schemas of <see cref="RequestBodyAttribute"/> bodies as the server takes them (see there), and the bodies of
/// PATCH operations as merge patches: every member may be left out or null, which keeps its value.
/// </summary>
internal static class RequestBodies
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || schema.Properties is null
            || !Attribute.IsDefined(context.JsonTypeInfo.Type, typeof(RequestBodyAttribute)))
        {
            return Task.CompletedTask;
        }
        schema.Required ??= new HashSet<string>();
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider?.IsDefined(typeof(OptionalFieldAttribute), false) == true)
            {
                schema.Required.Remove(property.Name);
            }
            else if (schema.Properties.TryGetValue(property.Name, out var member))
            {
                schema.Required.Add(property.Name);
                schema.Properties[property.Name] = WithoutNull(member);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// What only the whole document shows: a required enum member of a body arrives wrapped as "null or the enum"
    /// (the framework wraps nullable references after the schema transformers ran), and each PATCH body gets a schema
    /// of its own, <c>{Name}Patch</c>, in which nothing is required and null keeps a value.
    /// </summary>
    public static void Apply(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }
        var operations = (document.Paths ?? []).Values.SelectMany(path => path.Operations ?? []).ToList();
        var bodies = operations.SelectMany(operation => operation.Value.RequestBody?.Content?.Values ?? [])
            .Select(content => content.Schema).OfType<OpenApiSchemaReference>().Select(reference => reference.Reference.Id)
            .OfType<string>().Distinct().Select(name => schemas.TryGetValue(name, out var body) ? body : null).OfType<OpenApiSchema>();
        foreach (var body in bodies)
        {
            foreach (var name in body.Required ?? new HashSet<string>())
            {
                if (body.Properties?.TryGetValue(name, out var member) == true)
                {
                    body.Properties[name] = WithoutNull(member);
                }
            }
        }
        var patches = operations.Where(operation => operation.Key == HttpMethod.Patch).SelectMany(operation => operation.Value.RequestBody?.Content?.Values ?? []);
        foreach (var content in patches)
        {
            if (content.Schema is not OpenApiSchemaReference { Reference.Id: { } name } || !schemas.TryGetValue(name, out var found) || found is not OpenApiSchema body)
            {
                continue;
            }
            var patch = name + "Patch";
            if (!schemas.ContainsKey(patch))
            {
                var copy = (OpenApiSchema)body.CreateShallowCopy();
                copy.Required = new HashSet<string>();
                copy.Description = "Every member may be left out or null, which keeps its value.";
                copy.Properties = (body.Properties ?? new Dictionary<string, IOpenApiSchema>()).ToDictionary(member => member.Key, member => WithNull(member.Value));
                schemas[patch] = copy;
            }
            content.Schema = new OpenApiSchemaReference(patch, document);
        }
    }

    private static IOpenApiSchema WithNull(IOpenApiSchema member)
    {
        if (member is OpenApiSchema { Type: { } type } schema)
        {
            var copy = (OpenApiSchema)schema.CreateShallowCopy();
            copy.Type = type | JsonSchemaType.Null;
            return copy;
        }
        return new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, member] };
    }

    private static IOpenApiSchema WithoutNull(IOpenApiSchema member)
    {
        if (member is not OpenApiSchema schema)
        {
            return member;
        }
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }
        // A nullable reference (an enum, a nested body) is "one of null or the type".
        if (schema.OneOf is { Count: 2 } choices && choices.SingleOrDefault(choice => choice.Type == JsonSchemaType.Null) is { } nothing)
        {
            return choices.Single(choice => choice != nothing);
        }
        return schema;
    }
}
