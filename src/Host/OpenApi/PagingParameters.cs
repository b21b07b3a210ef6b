using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Shared.Http;

namespace Host.OpenApi;

/// <summary>Every keyset-paginated list takes <c>limit</c> and <c>cursor</c> through <see cref="PageRequest"/>; the document states its bounds.</summary>
internal static class PagingParameters
{
    public static void Apply(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { In: ParameterLocation.Query, Name: "limit", Schema: OpenApiSchema schema } limit)
            {
                schema.Type = JsonSchemaType.Integer;
                schema.Pattern = null;
                schema.Minimum = "1";
                schema.Maximum = PageRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                schema.Default = JsonValue.Create(PageRequest.DefaultLimit);
                limit.Description = $"Items per page, 1..{PageRequest.MaxLimit}.";
            }
            else if (parameter is OpenApiParameter { In: ParameterLocation.Query, Name: "cursor" } cursor)
            {
                cursor.Description = "The nextCursor of the previous page; leave it out for the first page.";
            }
        }
    }
}
