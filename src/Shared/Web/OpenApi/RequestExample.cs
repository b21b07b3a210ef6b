using Microsoft.AspNetCore.Builder;

namespace Shared.OpenApi;

/// <summary>Endpoint metadata: an example request body, shown in the OpenAPI document and on the Scalar page.</summary>
public sealed record RequestExample(object Body);

public static class RequestExampleExtensions
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object body) =>
        builder.WithMetadata(new RequestExample(body));
}
