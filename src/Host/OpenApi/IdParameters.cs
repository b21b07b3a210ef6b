using Microsoft.OpenApi;

namespace Host.OpenApi;

/// <summary>
/// Every path parameter of this API is a resource id, a UUID. The handlers take them as strings so that a malformed
/// one is the same 404 as an unknown one; the document says what a valid one looks like.
/// </summary>
internal static class IdParameters
{
    public static void Apply(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter.In == ParameterLocation.Path && parameter.Schema is OpenApiSchema schema)
            {
                schema.Format = "uuid";
            }
        }
    }
}
