using Microsoft.AspNetCore.Builder;

namespace Shared.OpenApi;

/// <summary>Endpoint metadata: the success answer carries the resource's <c>ETag</c>, for the document to say so.</summary>
public sealed record EntityTagged;

/// <summary>Endpoint metadata: the 201 carries a <c>Location</c> (not every create has a URL to name).</summary>
public sealed record LocationSent;

public static class ResponseHeaderMetadataExtensions
{
    public static RouteHandlerBuilder SendsEntityTag(this RouteHandlerBuilder builder) => builder.WithMetadata(new EntityTagged());

    public static RouteHandlerBuilder SendsLocation(this RouteHandlerBuilder builder) => builder.WithMetadata(new LocationSent());
}
