using Microsoft.AspNetCore.Builder;

namespace Shared.OpenApi;

/// <summary>Endpoint metadata: the success answer carries the resource's <c>ETag</c>, for the document to say so.</summary>
public sealed record EntityTagged;

public static class EntityTaggedExtensions
{
    public static RouteHandlerBuilder SendsEntityTag(this RouteHandlerBuilder builder) => builder.WithMetadata(new EntityTagged());
}
